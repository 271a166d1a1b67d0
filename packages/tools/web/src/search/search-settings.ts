import { createBraveBackend } from './brave-backend.js';
import type { SearchBackend } from './search-backend.js';
import { createSearxngBackend } from './searxng-backend.js';
import { createTavilyBackend } from './tavily-backend.js';

/** The search backends web_search can use. */
export const SEARCH_BACKEND_NAMES = ['searxng', 'brave', 'tavily'] as const;
export type SearchBackendName = (typeof SEARCH_BACKEND_NAMES)[number];

/**
 * Typed web-search settings, as the server's config schema holds them
 * (AGENTD_SEARCH_BACKEND, AGENTD_SEARXNG_URL, AGENTD_BRAVE_API_KEY, ...).
 * Nothing here reads the environment.
 */
export interface SearchSettings {
  /** The backend to use; when absent, the first of searxng, brave, tavily that has its settings. */
  backend?: SearchBackendName;
  searxng?: { url?: string };
  brave?: { apiKey?: string; baseUrl?: string };
  tavily?: { apiKey?: string; baseUrl?: string };
}

const FACTORIES: Record<SearchBackendName, (settings: SearchSettings) => SearchBackend | undefined> = {
  searxng: ({ searxng }) => (searxng?.url ? createSearxngBackend({ baseUrl: searxng.url }) : undefined),
  brave: ({ brave }) =>
    brave?.apiKey
      ? createBraveBackend({ apiKey: brave.apiKey, ...(brave.baseUrl ? { baseUrl: brave.baseUrl } : {}) })
      : undefined,
  tavily: ({ tavily }) =>
    tavily?.apiKey
      ? createTavilyBackend({ apiKey: tavily.apiKey, ...(tavily.baseUrl ? { baseUrl: tavily.baseUrl } : {}) })
      : undefined,
};

/** The settings that configure web search, for messages and docs. */
export const SEARCH_ENV_HINT = 'AGENTD_SEARXNG_URL, AGENTD_BRAVE_API_KEY or AGENTD_TAVILY_API_KEY';

/**
 * The search backend the settings configure: `backend` when set (an error
 * when its settings are missing), else the first of searxng, brave and
 * tavily that has its settings. Undefined when none is configured.
 */
export function createSearchBackend(settings: SearchSettings): SearchBackend | undefined {
  const chosen = settings.backend;
  if (chosen) {
    const factory = FACTORIES[chosen];
    if (!factory) {
      throw new Error(`backend '${String(chosen)}' is not one of ${SEARCH_BACKEND_NAMES.join(', ')}`);
    }
    const backend = factory(settings);
    if (!backend) throw new Error(`'${chosen}' is chosen but its settings are missing (${SEARCH_ENV_HINT})`);
    return backend;
  }
  for (const name of SEARCH_BACKEND_NAMES) {
    const backend = FACTORIES[name](settings);
    if (backend) return backend;
  }
  return undefined;
}
