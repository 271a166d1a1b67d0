/** The web search contract: a search engine behind its HTTP API (SearXNG, Brave, Tavily). */

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

/**
 * A web search engine. `search` resolves with at most `count` results in the
 * engine's order, each with a URL, title and snippet as plain text; it
 * rejects with an AgentdError of category `upstream` when the engine fails,
 * is unreachable or does not answer in time, and with the caller's reason
 * when `signal` aborts.
 */
export interface SearchBackend {
  /** e.g. `searxng`, `brave`, `tavily`. */
  readonly name: string;
  search(query: string, options: SearchOptions): Promise<SearchResult[]>;
}
