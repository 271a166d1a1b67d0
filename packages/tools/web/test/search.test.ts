import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBraveBackend,
  createSearchBackend,
  createSearxngBackend,
  createTavilyBackend,
  createWebSearchTool,
  NO_FILE_SEARCH_MESSAGE,
  NO_WEB_SEARCH_MESSAGE,
  type SearchResult,
} from '../src/index.js';
import { call, untrustedBody } from './support/run-tool.js';

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];
let failNext: number | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      received.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      });
      if (failNext !== undefined) {
        res.writeHead(failNext, { 'content-type': 'application/json' });
        res.end('{"error":"quota exceeded"}');
        failNext = undefined;
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer(url.pathname)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function answer(path: string): unknown {
  switch (path) {
    case '/searx/search':
      return {
        query: 'raft consensus',
        results: [
          {
            title: 'Raft <b>Consensus</b>',
            url: 'https://raft.github.io/',
            content: 'Raft is a consensus algorithm &amp; more.',
          },
          {
            title: 'In Search of an Understandable Consensus Algorithm',
            url: 'https://raft.github.io/raft.pdf',
            content: 'The paper.',
          },
          { title: 'No URL', content: 'dropped' },
        ],
      };
    case '/res/v1/web/search':
      return {
        type: 'search',
        web: {
          results: [
            {
              title: 'Brave result',
              url: 'https://brave.example/a',
              description: 'A <strong>highlighted</strong> snippet.',
            },
          ],
        },
      };
    case '/search':
      return {
        query: 'q',
        results: [
          { title: 'Tavily result', url: 'https://tavily.example/x', content: 'Tavily snippet.', score: 0.9 },
        ],
      };
    default:
      return {};
  }
}

const last = () => received.at(-1)!;

describe('search backends', () => {
  it('SearXNG: GET /search?format=json', async () => {
    const backend = createSearxngBackend({ baseUrl: `${base}/searx` });
    const results = await backend.search('raft consensus', { count: 5 });
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/searx/search',
      query: { q: 'raft consensus', format: 'json', pageno: '1' },
    });
    expect(last().headers.accept).toBe('application/json');
    expect(results).toEqual<SearchResult[]>([
      {
        title: 'Raft Consensus',
        url: 'https://raft.github.io/',
        snippet: 'Raft is a consensus algorithm & more.',
      },
      {
        title: 'In Search of an Understandable Consensus Algorithm',
        url: 'https://raft.github.io/raft.pdf',
        snippet: 'The paper.',
      },
    ]);
    expect(await backend.search('raft consensus', { count: 1 })).toHaveLength(1);
  });

  it('Brave: GET /res/v1/web/search with X-Subscription-Token', async () => {
    const backend = createBraveBackend({ apiKey: 'brave-key', baseUrl: base });
    const results = await backend.search('brave query', { count: 3 });
    expect(last()).toMatchObject({
      method: 'GET',
      path: '/res/v1/web/search',
      query: { q: 'brave query', count: '3' },
    });
    expect(last().headers['x-subscription-token']).toBe('brave-key');
    expect(last().headers.accept).toBe('application/json');
    expect(results).toEqual([
      { title: 'Brave result', url: 'https://brave.example/a', snippet: 'A highlighted snippet.' },
    ]);
  });

  it('Tavily: POST /search with a JSON body and a bearer token', async () => {
    const backend = createTavilyBackend({ apiKey: 'tvly-key', baseUrl: base });
    const results = await backend.search('tavily query', { count: 4 });
    expect(last()).toMatchObject({ method: 'POST', path: '/search' });
    expect(last().headers.authorization).toBe('Bearer tvly-key');
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body)).toEqual({ query: 'tavily query', max_results: 4, search_depth: 'basic' });
    expect(results).toEqual([
      { title: 'Tavily result', url: 'https://tavily.example/x', snippet: 'Tavily snippet.' },
    ]);
  });

  it('is chosen from typed settings', () => {
    expect(createSearchBackend({})).toBeUndefined();
    expect(createSearchBackend({ searxng: { url: base } })?.name).toBe('searxng');
    expect(createSearchBackend({ tavily: { apiKey: 'k' } })?.name).toBe('tavily');
    expect(createSearchBackend({ brave: { apiKey: 'k' }, tavily: { apiKey: 'k' } })?.name).toBe('brave');
    expect(
      createSearchBackend({ brave: { apiKey: undefined }, searxng: { url: undefined } }),
    ).toBeUndefined();
    expect(
      createSearchBackend({ backend: 'tavily', brave: { apiKey: 'k' }, tavily: { apiKey: 'k' } })?.name,
    ).toBe('tavily');
    expect(() => createSearchBackend({ backend: 'bing' as 'brave' })).toThrow(
      /not one of searxng, brave, tavily/,
    );
    expect(() => createSearchBackend({ backend: 'brave', tavily: { apiKey: 'k' } })).toThrow(
      /settings are missing/,
    );
  });

  it('uses the configured base URL', async () => {
    const backend = createSearchBackend({ brave: { apiKey: 'set-key', baseUrl: base } })!;
    await backend.search('from settings', { count: 2 });
    expect(last()).toMatchObject({ path: '/res/v1/web/search', query: { q: 'from settings' } });
    expect(last().headers['x-subscription-token']).toBe('set-key');
  });
});

describe('web_search tool', () => {
  it('returns titles, URLs and snippets as untrusted data, and reports them', async () => {
    const reported: unknown[] = [];
    const tool = createWebSearchTool({
      backend: createSearxngBackend({ baseUrl: `${base}/searx` }),
      onResults: (event) => reported.push(event),
    });
    const result = await call(tool, { query: 'raft consensus', count: 2 });
    expect(result.output).toMatch(/^web_search: 2 result\(s\) from searxng for "raft consensus"\./);
    expect(untrustedBody(result.output)).toBe(
      '[1] Raft Consensus\n    https://raft.github.io/\n    Raft is a consensus algorithm & more.\n' +
        '[2] In Search of an Understandable Consensus Algorithm\n    https://raft.github.io/raft.pdf\n    The paper.',
    );
    expect(reported).toEqual([
      expect.objectContaining({ query: 'raft consensus', backend: 'searxng', callId: 'call_test' }),
    ]);
  });

  it('says clearly that no backend is configured', async () => {
    const result = await call(createWebSearchTool(), { query: 'anything' });
    expect(result).toEqual({ output: NO_WEB_SEARCH_MESSAGE, isError: true });
    expect(NO_WEB_SEARCH_MESSAGE).toContain('Web search is not configured on this server');
    expect(NO_WEB_SEARCH_MESSAGE).toContain('AGENTD_SEARXNG_URL');
  });

  it('turns a backend failure into a clear tool error', async () => {
    failNext = 500;
    const tool = createWebSearchTool({ backend: createTavilyBackend({ apiKey: 'k', baseUrl: base }) });
    const result = await call(tool, { query: 'x' });
    expect(result).toEqual({
      output: expect.stringContaining('Tavily search answered HTTP 500'),
      isError: true,
    });
  });

  it("searches the tenant's files through the hook, or says it cannot", async () => {
    expect(await call(createWebSearchTool(), { query: 'budget', source: 'files' })).toEqual({
      output: NO_FILE_SEARCH_MESSAGE,
      isError: true,
    });
    const asked: unknown[] = [];
    const tool = createWebSearchTool({
      fileSearch: async (query, options) => {
        asked.push({ query, limit: options.limit });
        return [{ fileId: 'file_1', filename: 'budget.xlsx', snippet: 'Q3 budget: 1.2M' }];
      },
    });
    const result = await call(tool, { query: 'budget', source: 'files', count: 3 });
    expect(asked).toEqual([{ query: 'budget', limit: 3 }]);
    expect(untrustedBody(result.output)).toBe('[1] budget.xlsx (file file_1)\n    Q3 budget: 1.2M');
  });
});
