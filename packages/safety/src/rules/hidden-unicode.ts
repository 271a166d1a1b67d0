import type { RuleFinding } from './rule-finding.js';

/**
 * Characters a reader does not see but a model reads: zero-width and
 * formatting characters, Unicode tag characters (which spell out hidden
 * ASCII, "ASCII smuggling"), variation selectors, and bidirectional
 * overrides that make text display in another order than it is read.
 */
const HIDDEN =
  /(?:[\u200b-\u200f\u2060-\u2064\u206a-\u206f\ufeff\u00ad\u180e\u{e0000}-\u{e007f}]|\p{Variation_Selector})+/gu;
const BIDI = /[\u202a-\u202e\u2066-\u2069]+/gu;
const TAGS = /[\u{e0020}-\u{e007e}]/gu;

export function findHiddenText(text: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const match of text.matchAll(HIDDEN)) {
    if (partOfEmoji(text, match.index, match[0])) continue;
    const smuggled = [...match[0].matchAll(TAGS)]
      .map((tag) => String.fromCharCode((tag[0].codePointAt(0) ?? 0xe0000) - 0xe0000))
      .join('');
    findings.push({
      category: 'hidden_text',
      score: smuggled.length > 0 ? 1 : 0.6,
      note:
        smuggled.length > 0
          ? `hidden tag characters spelling "${smuggled.slice(0, 60)}"`
          : 'invisible characters',
      start: match.index,
      end: match.index + match[0].length,
      replacement: '',
    });
  }
  for (const match of text.matchAll(BIDI))
    findings.push({
      category: 'hidden_text',
      score: 0.8,
      note: 'bidirectional override characters',
      start: match.index,
      end: match.index + match[0].length,
      replacement: '',
    });
  return findings;
}

/** Joiners and presentation selectors inside emoji (👨‍👩‍👧, ❤️) are how emoji are written, not hidden text. */
function partOfEmoji(text: string, at: number, run: string): boolean {
  if (!/^[\u200d\ufe0e\ufe0f]+$/u.test(run)) return false;
  const before = String.fromCodePoint(text.codePointAt(at - 1) ?? 0);
  const low = text.charCodeAt(at - 1);
  const previous = low >= 0xdc00 && low <= 0xdfff ? text.slice(at - 2, at) : before;
  return /\p{Extended_Pictographic}|\p{Emoji_Modifier}|[\u2000-\u3300]/u.test(previous);
}

/** The ASCII that tag characters in the text spell out, for the other rules to read. */
export function decodeTagCharacters(text: string): string {
  return [...text.matchAll(TAGS)]
    .map((tag) => String.fromCharCode((tag[0].codePointAt(0) ?? 0xe0000) - 0xe0000))
    .join('');
}
