/** Turns texts into vectors. One implementation per kind of model; the server picks one. */
export interface EmbeddingProvider {
  /**
   * Names the vector space: provider, model and dimensions. Vectors with
   * different ids cannot be compared; caches key on it.
   */
  readonly id: string;
  readonly dimensions: number;
  /** One vector per text, in the order of `texts`. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
}
