/** A code point's Unicode general category as the folds need it: a letter (\p{L}), a number (\p{N}), or neither. */
export const LETTER = 1;
export const NUMBER = 2;
const KNOWN = 4;

const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;

/** Kinds of the Basic Multilingual Plane, filled in as they are first asked for (0: not yet known). */
const bmp = new Uint8Array(0x10000);

function classify(codePoint: number): number {
  // A lone surrogate is a code point of its own to a /u regex, and neither a letter nor a number.
  const char = String.fromCodePoint(codePoint);
  return (IS_LETTER.test(char) ? LETTER : 0) | (IS_NUMBER.test(char) ? NUMBER : 0);
}

/** LETTER, NUMBER or 0 for one code point, as /\p{L}/u and /\p{N}/u see it. */
export function charKind(codePoint: number): number {
  if (codePoint >= 0x10000) return classify(codePoint);
  let kind = bmp[codePoint] as number;
  if (kind === 0) {
    kind = classify(codePoint) | KNOWN;
    bmp[codePoint] = kind;
  }
  return kind & (LETTER | NUMBER);
}
