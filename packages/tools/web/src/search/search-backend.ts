export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchOptions {
  /** Results wanted at most. */
  count: number;
  signal?: AbortSignal;
}

/** A web search engine behind its HTTP API. */
export interface SearchBackend {
  /** e.g. `searxng`, `brave`, `tavily`. */
  readonly name: string;
  search(query: string, options: SearchOptions): Promise<SearchResult[]>;
}

/** What every backend takes besides its own settings. */
export interface HttpBackendOptions {
  /** The API's base URL; each backend has the public one as default. Tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}
