import { Break, breakStrengths } from './break-strength.js';
import { tokenPieces } from './token-pieces.js';

export interface Chunk {
  index: number;
  text: string;
  /** Character offsets in the chunked text: text.slice(start, end) === chunk.text. */
  start: number;
  end: number;
  /** Approximate tokens (see tokenPieces). */
  tokens: number;
}

export interface ChunkOptions {
  /** Default 400. */
  maxTokens?: number;
  /** Tokens each chunk repeats from the end of the one before; less than maxTokens. Default 80. */
  overlapTokens?: number;
}

export const DEFAULT_CHUNK_TOKENS = 400;
export const DEFAULT_OVERLAP_TOKENS = 80;

/**
 * Splits text into chunks of at most maxTokens approximate tokens. Each
 * chunk ends at the best break in the second half of its window (a
 * paragraph, else a sentence, else a line, else a word; a hard cut only
 * inside a very long run without spaces), so chunks hold whole units and
 * none is tiny. The next chunk starts up to overlapTokens earlier, at a
 * sentence or word start when there is one in that span, so a passage cut
 * in two is still found whole in one of them.
 */
export function chunkText(text: string, options: ChunkOptions = {}): Chunk[] {
  const { maxTokens, overlapTokens } = validOptions(options);
  const pieces = tokenPieces(text);
  const count = pieces.starts.length;
  if (count === 0) return [];
  const strengths = breakStrengths(text, pieces);
  const chunks: Chunk[] = [];
  let first = 0;
  for (;;) {
    const last = count - first <= maxTokens ? count : cutBefore(strengths, first, maxTokens);
    const start = pieces.starts[first]!;
    const end = pieces.ends[last - 1]!;
    chunks.push({ index: chunks.length, text: text.slice(start, end), start, end, tokens: last - first });
    if (last === count) return chunks;
    first = overlapStart(strengths, first, last, overlapTokens);
  }
}

function validOptions(options: ChunkOptions): Required<ChunkOptions> {
  const maxTokens = options.maxTokens ?? DEFAULT_CHUNK_TOKENS;
  const overlapTokens = options.overlapTokens ?? DEFAULT_OVERLAP_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new RangeError(`chunkText: maxTokens must be a positive whole number, not ${maxTokens}`);
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0)
    throw new RangeError(
      `chunkText: overlapTokens must be a whole number of at least 0, not ${overlapTokens}`,
    );
  if (overlapTokens >= maxTokens)
    throw new RangeError(
      `chunkText: overlapTokens (${overlapTokens}) must be less than maxTokens (${maxTokens})`,
    );
  return { maxTokens, overlapTokens };
}

/** The piece the chunk starting at `first` ends before: the last strongest break in the window's second half. */
function cutBefore(strengths: Uint8Array, first: number, maxTokens: number): number {
  const limit = first + maxTokens;
  const earliest = first + Math.ceil(maxTokens / 2);
  for (let level: number = Break.paragraph; level >= Break.word; level--) {
    for (let at = limit; at >= earliest; at--) if (strengths[at]! >= level) return at;
  }
  return limit;
}

/** Where the next chunk starts: the earliest sentence start, else word start, in the overlap span. */
function overlapStart(strengths: Uint8Array, first: number, last: number, overlapTokens: number): number {
  if (overlapTokens === 0) return last;
  const earliest = Math.max(last - overlapTokens, first + 1);
  for (const level of [Break.sentence, Break.word]) {
    for (let at = earliest; at < last; at++) if (strengths[at]! >= level) return at;
  }
  return earliest;
}
