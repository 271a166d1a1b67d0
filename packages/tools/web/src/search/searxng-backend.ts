import type { HttpBackendOptions, SearchBackend } from './search-backend.js';
import { callSearchApi, joinUrl, plainText, toResults } from './search-http.js';

export interface SearxngOptions extends HttpBackendOptions {
  /** The SearXNG instance, e.g. http://searxng:8080 (its JSON format must be enabled). */
  baseUrl: string;
  language?: string;
}

/** SearXNG: GET /search?q=…&format=json. */
export function createSearxngBackend(options: SearxngOptions): SearchBackend {
  return {
    name: 'searxng',
    async search(query, { count, signal }) {
      const url = joinUrl(options.baseUrl, '/search');
      url.searchParams.set('q', query);
      url.searchParams.set('format', 'json');
      url.searchParams.set('pageno', '1');
      if (options.language) url.searchParams.set('language', options.language);
      const body = (await callSearchApi(
        'SearXNG',
        url,
        { headers: { accept: 'application/json' } },
        options,
        signal,
      )) as {
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
