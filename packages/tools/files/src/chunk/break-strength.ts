import type { TokenPieces } from './token-pieces.js';

/** How good a place to cut the gap before a piece is; higher is better. */
export const Break = { none: 0, word: 1, line: 2, sentence: 3, paragraph: 4 } as const;

const SENTENCE_END = new Set(['.', '!', '?', '…', '。', '！', '？']);
/** Ends that need no space after them: CJK text runs sentences together. */
const CJK_SENTENCE_END = new Set(['。', '！', '？']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»', '」', '』']);

/**
 * The break strength of the gap before each piece (index 0 is unused): a
 * blank line is a paragraph break; a sentence-ending mark (possibly
 * followed by a closing quote or bracket) then a space is a sentence break;
 * a line break is next, then any whitespace; pieces that touch cannot be
 * separated cleanly.
 */
export function breakStrengths(text: string, pieces: TokenPieces): Uint8Array {
  const { starts, ends } = pieces;
  const strengths = new Uint8Array(starts.length);
  const pieceAt = (i: number) => text.slice(starts[i]!, ends[i]!);
  for (let i = 1; i < starts.length; i++) {
    const gap = text.slice(ends[i - 1]!, starts[i]!);
    const previous = pieceAt(i - 1);
    const ended =
      SENTENCE_END.has(previous) || (CLOSERS.has(previous) && i >= 2 && SENTENCE_END.has(pieceAt(i - 2)));
    if (/\n[ \t\r]*\n/.test(gap)) strengths[i] = Break.paragraph;
    else if ((ended && gap !== '') || CJK_SENTENCE_END.has(previous)) strengths[i] = Break.sentence;
    else if (gap.includes('\n')) strengths[i] = Break.line;
    else if (gap !== '') strengths[i] = Break.word;
  }
  return strengths;
}
