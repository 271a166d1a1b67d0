import type { EmbeddingCache } from '@agentd/spec';

export type { EmbeddingCache } from '@agentd/spec';

/** An in-process cache holding the most recently used `maxEntries` vectors (default 10,000). */
export class MemoryEmbeddingCache implements EmbeddingCache {
  readonly #entries = new Map<string, number[]>();
  readonly #maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(
        `MemoryEmbeddingCache: maxEntries must be a positive whole number, not ${maxEntries}`,
      );
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  async getMany(keys: string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    for (const key of keys) {
      const vector = this.#entries.get(key);
      if (vector === undefined) continue;
      // Re-inserting moves the key to the end of the Map's order: the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, vector);
      found.set(key, vector);
    }
    return found;
  }

  async putMany(entries: Array<[string, number[]]>): Promise<void> {
    for (const [key, vector] of entries) {
      this.#entries.delete(key);
      this.#entries.set(key, vector);
    }
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
