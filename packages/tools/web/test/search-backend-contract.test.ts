import { describeSearchBackendContract } from '@agentd/testing';
import { createBraveBackend, createSearxngBackend, createTavilyBackend } from '../src/index.js';

// Each backend against a local fake of its HTTP API, answering as the API's documentation shows.
const withUrl = <T extends object>(url: string, item: T) => (url === '' ? item : { ...item, url });

describeSearchBackendContract('SearXNG', {
  create: ({ baseUrl, timeoutMs }) => createSearxngBackend({ baseUrl, ...(timeoutMs ? { timeoutMs } : {}) }),
  answer: (results) => ({
    query: 'q',
    number_of_results: results.length,
    results: results.map((result) => withUrl(result.url, { title: result.title, content: result.snippet })),
  }),
  queryOf: (request) => request.url.searchParams.get('q') ?? undefined,
});

describeSearchBackendContract('Brave', {
  create: ({ baseUrl, timeoutMs }) =>
    createBraveBackend({ apiKey: 'brave-secret-7731', baseUrl, ...(timeoutMs ? { timeoutMs } : {}) }),
  answer: (results) => ({
    type: 'search',
    web: {
      type: 'search',
      results: results.map((result) =>
        withUrl(result.url, { title: result.title, description: result.snippet, type: 'search_result' }),
      ),
    },
  }),
  queryOf: (request) => request.url.searchParams.get('q') ?? undefined,
  secret: 'brave-secret-7731',
});

describeSearchBackendContract('Tavily', {
  create: ({ baseUrl, timeoutMs }) =>
    createTavilyBackend({ apiKey: 'tvly-secret-9902', baseUrl, ...(timeoutMs ? { timeoutMs } : {}) }),
  answer: (results) => ({
    query: 'q',
    response_time: 0.5,
    results: results.map((result) =>
      withUrl(result.url, { title: result.title, content: result.snippet, score: 0.9 }),
    ),
  }),
  queryOf: (request) => (JSON.parse(request.body) as { query?: string }).query,
  secret: 'tvly-secret-9902',
});
