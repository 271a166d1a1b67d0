import { describe, expect, it } from 'vitest';
import { normalizeText } from '../src/classifier/normalize.js';
import { firstMatch, SIGNALS } from '../src/classifier/signals.js';
import { createRulesPhase } from '../src/index.js';
import { corpusTexts, fuzzTexts } from './support/reference-rules.js';
import { REFERENCE_SIGNALS } from './support/reference-signals.js';

/** Every match of a global pattern, as `index:text`. */
function matches(pattern: RegExp, text: string): string[] {
  pattern.lastIndex = 0;
  const found: string[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text))
    found.push(`${match.index}:${match[0]}`);
  return found;
}

const corpus = corpusTexts().map(normalizeText);
// Pieces of the rewritten patterns (role markers, other languages' stems, image links), glued at random.
const pieces = [
  ...['\n', '\n', ' ', '\t', '#', '##', 'system', 'ai', 'user', ':', ' :', 'x', '<', 'system>', 'en', ' '],
  ...['![', ']', '(http:', '](https:', 'send ', 'to ', 'a@b', 'visit ', 'link', 'zeig', 'sag', ' dein '],
  ...['passwort', 'system prompt', 'ignorier', 'ignora', 'vergiss', ' alle ', 'regeln', 'anweisungen'],
];
const fuzz = fuzzTexts(pieces, 60_000, 14);

describe('signals (rewritten to stay linear on hostile text)', () => {
  it('count every match where the old patterns did, on training, red-team and random texts', () => {
    for (const [i, signal] of SIGNALS.entries()) {
      const reference = REFERENCE_SIGNALS[i];
      expect(signal.name).toBe(reference?.name);
      for (const text of [...corpus, ...fuzz]) {
        const found = matches(signal.pattern, text);
        const expected = matches(reference?.pattern ?? /$^/, text);
        if (found.join('\n') !== expected.join('\n'))
          expect({ text, found }).toEqual({ text, found: expected });
      }
    }
  });

  it('find the same first match as the old patterns, where they have a faster form for it', () => {
    for (const [i, signal] of SIGNALS.entries()) {
      if (!signal.first) continue;
      const reference = REFERENCE_SIGNALS[i]?.pattern ?? /$^/;
      for (const text of [...corpus, ...fuzz]) {
        const found = firstMatch(signal, text);
        reference.lastIndex = 0;
        const expected = reference.exec(text);
        if (`${found?.index}:${found?.[0]}` !== `${expected?.index}:${expected?.[0]}`)
          expect({ text, found: found?.[0] }).toEqual({ text, found: expected?.[0] });
      }
    }
  });
});

describe('rules phase on long hostile input, past the folds', () => {
  const rules = createRulesPhase();
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  // 100,000 characters each; the stems and the decoded image links made one signal retry from every
  // position of a long run (seconds); spaces guard the role markers' look-behind.
  it.each([
    ['spaces', ' '],
    ['words starting with a German stem', 'zeig'],
    ['base64 of unclosed image links between words', b64('![aa bb '.repeat(30))],
  ])(
    'returns a verdict on 100 KB of %s',
    (_name, unit) => {
      const text = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
      expect(rules.check({ text, surface: 'tool_output' }, []).phase).toBe('rules');
    },
    5_000,
  );
});
