import { createHash } from 'node:crypto';
import type { EmbeddingCache } from './embedding-cache.js';
import type { EmbeddingProvider, EmbedOptions } from './embedding-provider.js';

/** The cache key of a text's vector: sha256 of the provider id, a NUL, and the text, in hex. */
export function embeddingCacheKey(providerId: string, text: string): string {
  return createHash('sha256').update(providerId).update('\0').update(text).digest('hex');
}

/**
 * An embedding provider with a cache in front: texts already embedded (by
 * content, in this provider's vector space) come from the cache; the rest
 * are embedded once each, however often they repeat in the call, in batches
 * of `batchSize` (default 256), and stored after each batch so a failure
 * halfway keeps the work done. Cached vectors of the wrong length are
 * treated as missing.
 */
export class CachedEmbeddings implements EmbeddingProvider {
  readonly id: string;
  readonly dimensions: number;
  readonly #inner: EmbeddingProvider;
  readonly #cache: EmbeddingCache;
  readonly #batchSize: number;

  constructor(inner: EmbeddingProvider, cache: EmbeddingCache, options: { batchSize?: number } = {}) {
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`CachedEmbeddings: batchSize must be a positive whole number, not ${batchSize}`);
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.#inner = inner;
    this.#cache = cache;
    this.#batchSize = batchSize;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const keys = texts.map((text) => embeddingCacheKey(this.id, text));
    const unique = new Map<string, string>();
    for (const [i, key] of keys.entries()) unique.set(key, texts[i]!);
    const found = await this.#cache.getMany([...unique.keys()]);
    const vectors = new Map<string, number[]>();
    for (const [key, vector] of found) if (vector.length === this.dimensions) vectors.set(key, vector);
    const missing = [...unique].filter(([key]) => !vectors.has(key));
    for (let at = 0; at < missing.length; at += this.#batchSize) {
      const batch = missing.slice(at, at + this.#batchSize);
      const embedded = await this.#inner.embed(
        batch.map(([, text]) => text),
        options,
      );
      const entries = batch.map(([key], i): [string, number[]] => [key, embedded[i]!]);
      await this.#cache.putMany(entries);
      for (const [key, vector] of entries) vectors.set(key, vector);
    }
    return keys.map((key) => vectors.get(key)!);
  }
}
