/**
 * The embeddings contract: texts into vectors (a remote model, the local
 * hashing embedder, either behind a cache). Its suite is
 * describeEmbeddingProviderContract in @agentd/testing.
 */

/** Turns texts into vectors. One implementation per kind of model; the server picks one. */
export interface EmbeddingProvider {
  /**
   * Names the vector space: provider, model and dimensions. Vectors with
   * different ids cannot be compared; caches key on it.
   */
  readonly id: string;
  readonly dimensions: number;
  /** One vector per text, in the order of `texts`. */
  embed(texts: string[], options?: EmbedOptions): Promise<number[][]>;
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /**
   * Told the tokens each request to a remote model used, as its answer
   * reports them (for usage and budgets); local embedders never call it.
   */
  onUsage?: (usage: { model: string; inputTokens: number }) => void;
}

/**
 * Where a cache in front of an EmbeddingProvider keeps vectors, by key (a
 * hash of provider id and text, so one key always names one vector): the
 * server's per-tenant table, or an in-process map. Its suite is
 * describeEmbeddingCacheContract in @agentd/testing.
 */
export interface EmbeddingCache {
  /** The vectors found; missing keys are simply absent from the map. */
  getMany(keys: string[]): Promise<Map<string, number[]>>;
  putMany(entries: Array<[string, number[]]>): Promise<void>;
}
