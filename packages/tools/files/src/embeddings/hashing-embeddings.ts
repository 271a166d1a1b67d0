import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';
import { hashFeatures, l2Normalize } from './feature-hash.js';
import { lexicalFeatures } from './lexical-features.js';

export interface HashingEmbeddingsOptions {
  /** Default 384. */
  dimensions?: number;
}

/**
 * The zero-setup local embedder: no model, no network, deterministic.
 *
 * It is LEXICAL, NOT SEMANTIC: two texts are similar when they share words
 * (after lower-casing, accent removal, stop-word removal and light suffix
 * stripping), pairs of neighbouring words, or character trigrams of words
 * (partial credit for typos). It does not know that "car" and "automobile"
 * mean the same thing, and it does not understand other languages' grammar.
 * For meaning-based search, configure a real embedding model
 * (OpenAIEmbeddings against OpenAI, vLLM, Ollama or TEI).
 *
 * Method: signed feature hashing of those features, weighted by kind and by
 * sublinear term frequency (1 + ln tf), into `dimensions` buckets, then L2
 * normalisation, so the cosine of two vectors measures their overlap.
 */
export class HashingEmbeddings implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;

  constructor(options: HashingEmbeddingsOptions = {}) {
    const dimensions = options.dimensions ?? 384;
    if (!Number.isInteger(dimensions) || dimensions < 1)
      throw new RangeError(
        `HashingEmbeddings: dimensions must be a positive whole number, not ${dimensions}`,
      );
    this.dimensions = dimensions;
    // Bump the version when the features or weights change: cached vectors would no longer match.
    this.id = `hashing:lexical-v1:${dimensions}`;
  }

  /** The vector of one text. */
  embedOne(text: string): number[] {
    return l2Normalize(hashFeatures(lexicalFeatures(text), this.dimensions));
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    options.signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }
}
