import type { HttpBackendOptions, SearchBackend } from './search-backend.js';
import { callSearchApi, joinUrl, plainText, toResults } from './search-http.js';

export interface TavilyOptions extends HttpBackendOptions {
  apiKey: string;
}

export const TAVILY_BASE_URL = 'https://api.tavily.com';

/** Tavily: POST /search with a JSON body and a bearer token. */
export function createTavilyBackend(options: TavilyOptions): SearchBackend {
  return {
    name: 'tavily',
    async search(query, { count, signal }) {
      const url = joinUrl(options.baseUrl ?? TAVILY_BASE_URL, '/search');
      const init = {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: `Bearer ${options.apiKey}`,
        },
        body: JSON.stringify({ query, max_results: Math.min(20, count), search_depth: 'basic' }),
      };
      const body = (await callSearchApi('Tavily', url, init, options, signal)) as {
        results?: Array<{ title?: unknown; url?: unknown; content?: unknown }>;
      };
      return toResults(body.results ?? [], count, (item) => ({
        title: plainText(item.title),
        url: typeof item.url === 'string' ? item.url : '',
        snippet: plainText(item.content),
      }));
    },
  };
}
