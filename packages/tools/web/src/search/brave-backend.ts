import type { HttpBackendOptions, SearchBackend } from './search-backend.js';
import { callSearchApi, joinUrl, plainText, toResults } from './search-http.js';

export interface BraveOptions extends HttpBackendOptions {
  apiKey: string;
}

export const BRAVE_BASE_URL = 'https://api.search.brave.com';

/** Brave Search: GET /res/v1/web/search?q=…&count=… with the X-Subscription-Token header. */
export function createBraveBackend(options: BraveOptions): SearchBackend {
  return {
    name: 'brave',
    async search(query, { count, signal }) {
      const url = joinUrl(options.baseUrl ?? BRAVE_BASE_URL, '/res/v1/web/search');
      url.searchParams.set('q', query);
      url.searchParams.set('count', String(Math.min(20, count)));
      const init = { headers: { accept: 'application/json', 'x-subscription-token': options.apiKey } };
      const body = (await callSearchApi('Brave', url, init, options, signal)) as {
        web?: { results?: Array<{ title?: unknown; url?: unknown; description?: unknown }> };
      };
      return toResults(body.web?.results ?? [], count, (item) => ({
        title: plainText(item.title),
        url: typeof item.url === 'string' ? item.url : '',
        snippet: plainText(item.description),
      }));
    },
  };
}
