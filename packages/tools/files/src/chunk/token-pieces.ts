/**
 * The token approximation used for chunk sizes: one token per
 * - run of up to 10 letters, marks or digits (a longer word counts one token per 10 characters),
 * - single punctuation mark or symbol,
 * - single Chinese, Japanese or Korean character (those scripts have no spaces between words).
 * For English prose this lands close to what BPE tokenizers (OpenAI's,
 * Llama's) count; it under-counts rare words that they split into several
 * pieces, so the default chunk size leaves room under embedding models'
 * 512-token inputs.
 */
const PIECE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{M}\p{N}]){1,10}|[^\s\p{L}\p{M}\p{N}]/gu;

/** The approximate tokens of a text, as character offsets: piece i is text.slice(starts[i], ends[i]). */
export interface TokenPieces {
  starts: number[];
  ends: number[];
}

export function tokenPieces(text: string): TokenPieces {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const match of text.matchAll(PIECE)) {
    starts.push(match.index);
    ends.push(match.index + match[0].length);
  }
  return { starts, ends };
}

/** The approximate token count of a text, as chunkText counts it. */
export function countTokens(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(PIECE)) count++;
  return count;
}
