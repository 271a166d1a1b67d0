// The contract is in spec; the backends here implement it.
export type { SearchBackend, SearchOptions, SearchResult } from '@agentd/spec';

/** What every backend takes besides its own settings. */
export interface HttpBackendOptions {
  /** The API's base URL; each backend has the public one as default. Tests point it at a local server. */
  baseUrl?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}
