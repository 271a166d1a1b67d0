import { createBraveBackend } from './brave-backend.js';
import type { SearchBackend } from './search-backend.js';
import { createSearxngBackend } from './searxng-backend.js';
import { createTavilyBackend } from './tavily-backend.js';

type Env = Record<string, string | undefined>;

const FACTORIES: Record<string, (env: Env) => SearchBackend | undefined> = {
  searxng: (env) => {
    const baseUrl = env.AGENTD_SEARXNG_URL ?? env.SEARXNG_URL;
    return baseUrl ? createSearxngBackend({ baseUrl }) : undefined;
  },
  brave: (env) => {
    const apiKey = env.AGENTD_BRAVE_API_KEY ?? env.BRAVE_SEARCH_API_KEY ?? env.BRAVE_API_KEY;
    const baseUrl = env.AGENTD_BRAVE_BASE_URL;
    return apiKey ? createBraveBackend({ apiKey, ...(baseUrl ? { baseUrl } : {}) }) : undefined;
  },
  tavily: (env) => {
    const apiKey = env.AGENTD_TAVILY_API_KEY ?? env.TAVILY_API_KEY;
    const baseUrl = env.AGENTD_TAVILY_BASE_URL;
    return apiKey ? createTavilyBackend({ apiKey, ...(baseUrl ? { baseUrl } : {}) }) : undefined;
  },
};

/** The environment variables that configure web search, for messages and docs. */
export const SEARCH_ENV_HINT = 'AGENTD_SEARXNG_URL, AGENTD_BRAVE_API_KEY or AGENTD_TAVILY_API_KEY';

/**
 * The search backend the environment configures: AGENTD_SEARCH_BACKEND
 * (searxng, brave or tavily) when set, else the first of them that has its
 * settings (AGENTD_SEARXNG_URL; AGENTD_BRAVE_API_KEY with optional
 * AGENTD_BRAVE_BASE_URL; AGENTD_TAVILY_API_KEY with optional
 * AGENTD_TAVILY_BASE_URL). Undefined when none is configured.
 */
export function searchBackendFromEnv(env: Env = process.env): SearchBackend | undefined {
  const chosen = env.AGENTD_SEARCH_BACKEND?.trim().toLowerCase();
  if (chosen) {
    const factory = FACTORIES[chosen];
    if (!factory) {
      throw new Error(`AGENTD_SEARCH_BACKEND='${chosen}' is not one of ${Object.keys(FACTORIES).join(', ')}`);
    }
    const backend = factory(env);
    if (!backend)
      throw new Error(`AGENTD_SEARCH_BACKEND='${chosen}' but its settings are missing (${SEARCH_ENV_HINT})`);
    return backend;
  }
  for (const factory of Object.values(FACTORIES)) {
    const backend = factory(env);
    if (backend) return backend;
  }
  return undefined;
}
