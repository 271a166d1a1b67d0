import { charKind, LETTER, NUMBER } from './char-kinds.js';

/**
 * Two of normalizeText's folds, written as one pass over the text each
 * instead of the regexes they replace (kept as the test's oracle), which
 * cost most of the rules phase and backtrack quadratically on long runs of
 * `€`, `@` or `!`: every position of such a run started a look-ahead over
 * the rest of it.
 *
 * foldLeetWords is `text.replace(LEET_WORD, fold)` with
 *   LEET_WORD = /(?<![\p{L}\p{N}])(?=[\p{L}\p{N}@$!|€+]*\p{L})(?=[\p{L}\p{N}@$!|€+]*[0-9@$!|€+])[\p{L}\p{N}@$!|€+]{3,}/gu
 * A match starts where a maximal run of word-or-leet characters starts (the
 * character before such a run is neither a letter nor a number), takes the
 * whole run, and needs it to be at least 3 code points long with a letter
 * and a digit or leet sign in it. No match starts inside a run: its suffix
 * has a letter and a leet sign only when the run has.
 */
export function foldLeetWords(text: string, fold: (word: string) => string): string {
  let out = '';
  let copied = 0;
  let at = 0;
  while (at < text.length) {
    const codePoint = text.codePointAt(at) as number;
    if (!isWordOrLeet(codePoint)) {
      at += codePoint > 0xffff ? 2 : 1;
      continue;
    }
    const start = at;
    let length = 0;
    let letter = false;
    let leet = false;
    while (at < text.length) {
      const next = text.codePointAt(at) as number;
      if (!isWordOrLeet(next)) break;
      length++;
      if (!letter && (charKind(next) & LETTER) !== 0) letter = true;
      if (!leet && isDigitOrLeet(next)) leet = true;
      at += next > 0xffff ? 2 : 1;
    }
    if (length >= 3 && letter && leet) {
      out += text.slice(copied, start) + fold(text.slice(start, at));
      copied = at;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * joinSpacedLetters is `text.replace(SPACED, join)` with
 *   SPACED = /(?<![\p{L}\p{N}])(?:\p{L}[ .\-_]){3,}\p{L}(?![\p{L}\p{N}])/gu
 * From a letter not preceded by a letter or number, the chain of letters
 * each one separator apart (l0 . l1 . … lk) matches up to lk when k >= 3 and
 * nothing alphanumeric follows lk, else up to l(k-1) (a separator follows
 * it) when k >= 4: what the greedy repetition gives back when it
 * backtracks. A chain that fails is at most four letters long, so the pass
 * stays linear.
 */
export function joinSpacedLetters(text: string, join: (run: string) => string): string {
  let out = '';
  let copied = 0;
  let at = 0;
  let previousAlphanumeric = false;
  while (at < text.length) {
    const codePoint = text.codePointAt(at) as number;
    const width = codePoint > 0xffff ? 2 : 1;
    const kind = charKind(codePoint);
    if ((kind & LETTER) !== 0 && !previousAlphanumeric) {
      const end = spacedRunEnd(text, at + width);
      if (end !== undefined) {
        out += text.slice(copied, at) + join(text.slice(at, end));
        copied = end;
        at = end;
        previousAlphanumeric = true;
        continue;
      }
    }
    previousAlphanumeric = (kind & (LETTER | NUMBER)) !== 0;
    at += width;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where a spaced run whose first letter ends at `afterFirst` ends, or undefined when there is none. */
function spacedRunEnd(text: string, afterFirst: number): number | undefined {
  let last = afterFirst; // the end of the chain's last letter, l(k)
  let beforeLast = -1; // the end of l(k-1)
  let count = 0; // k
  while (last < text.length && isSeparator(text.charCodeAt(last))) {
    const next = text.codePointAt(last + 1);
    if (next === undefined || (charKind(next) & LETTER) === 0) break;
    beforeLast = last;
    last += next > 0xffff ? 3 : 2;
    count++;
  }
  if (count < 3) return undefined;
  const after = text.codePointAt(last);
  if (after === undefined || (charKind(after) & (LETTER | NUMBER)) === 0) return last;
  return count >= 4 ? beforeLast : undefined;
}

function isSeparator(code: number): boolean {
  return code === 0x20 || code === 0x2e || code === 0x2d || code === 0x5f; // space . - _
}

function isDigitOrLeet(codePoint: number): boolean {
  return (
    (codePoint >= 0x30 && codePoint <= 0x39) ||
    codePoint === 0x40 || // @
    codePoint === 0x24 || // $
    codePoint === 0x21 || // !
    codePoint === 0x7c || // |
    codePoint === 0x20ac || // €
    codePoint === 0x2b // +
  );
}

function isWordOrLeet(codePoint: number): boolean {
  return isDigitOrLeet(codePoint) || charKind(codePoint) !== 0;
}
