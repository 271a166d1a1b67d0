import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentdWithFakeModel,
  BACKENDS,
  openaiOptions,
  startAgentdWithFakeModel,
} from '@agentd/test-server';
import type { ApiClient, FakeOpenAI } from '@agentd/testing';
import OpenAI from 'openai';
import type { ResponseOutputItem } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AGENTD_EVENT_TYPES } from '../src/responses/event-view.js';
import { consumeHelperStream, type HelperStream } from './support/helper-stream.js';

const AGENTD_ONLY = new Set<string>(AGENTD_EVENT_TYPES);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The helper's events (none of them agentd's own) and final response, with its output items. */
async function consume(stream: HelperStream) {
  const { types, final } = await consumeHelperStream(stream);
  expect(types.filter((type) => AGENTD_ONLY.has(type))).toEqual([]);
  return { types, final, items: final.output };
}

/** The output items of one type, typed as OpenAI's client types them. */
const ofType = <T extends ResponseOutputItem['type']>(items: ResponseOutputItem[], type: T) =>
  items.filter((item): item is Extract<ResponseOutputItem, { type: T }> => item.type === type);

/** A loopback web site (one article) and a SearXNG-style search answering with it. */
async function startSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/search')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const article = { title: 'Loopback Lighthouses', url: `${url}/article`, content: 'Built in 1874.' };
      res.end(JSON.stringify({ query: 'q', results: [article] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<html><head><title>Loopback Lighthouses</title></head><body><main><article><h1>Loopback Lighthouses</h1>' +
        '<p>The lighthouse at Loopback Point was built in 1874 and still guides ships along the coast.</p>' +
        '</article></main></body></html>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(BACKENDS)("the official client's stream helpers with every built-in tool on %s", (backend) => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let site: Awaited<ReturnType<typeof startSite>>;
  let api: ApiClient;
  let client: OpenAI;

  beforeAll(async () => {
    site = await startSite();
    agentd = await startAgentdWithFakeModel({
      backend,
      env: {
        AGENTD_NET_ALLOW: new URL(site.url).host,
        AGENTD_SEARXNG_URL: site.url,
        AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
      },
    });
    ({ fake, api } = agentd);
    client = new OpenAI(openaiOptions(agentd));
  }, 120_000);
  afterAll(async () => {
    await agentd?.close();
    await site?.close();
  }, 120_000);
  beforeEach(() => fake.reset());

  it('code_interpreter: the code streams as OpenAI streams it and the final item carries it', {
    timeout: 120_000,
  }, async () => {
    const { types, final, items } = await consume(
      client.responses.stream({
        model: 'scripted',
        input: 'run python: print(6*7)',
        tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
        include: ['code_interpreter_call.outputs'],
      }),
    );
    expect(final.status).toBe('completed');
    expect(types).toEqual(
      expect.arrayContaining([
        'response.code_interpreter_call.in_progress',
        'response.code_interpreter_call_code.delta',
        'response.code_interpreter_call_code.done',
        'response.code_interpreter_call.interpreting',
        'response.code_interpreter_call.completed',
      ]),
    );
    const call = ofType(items, 'code_interpreter_call')[0];
    expect(call).toMatchObject({
      code: 'print(6*7)',
      status: 'completed',
      outputs: [{ type: 'logs', logs: '42' }],
    });
    expect(final.output_text).toContain('42');
  });

  it('web_search: searching and reading show as web_search_call items, the answer cites the page', async () => {
    const url = `${site.url}/article`;
    fake.enqueue(
      {
        toolCalls: [{ id: 'call_search', name: 'web_search', arguments: '{"query":"loopback lighthouse"}' }],
      },
      { toolCalls: [{ id: 'call_fetch', name: 'fetch_url', arguments: JSON.stringify({ url }) }] },
      { text: `It was built in 1874, per ${url}.` },
    );
    const { types, final, items } = await consume(
      client.responses.stream({
        model: 'fake-model',
        input: 'When was it built?',
        tools: [{ type: 'web_search' }],
      }),
    );
    expect(final.output_text).toBe(`It was built in 1874, per ${url}.`);
    expect(types).toEqual(
      expect.arrayContaining([
        'response.web_search_call.in_progress',
        'response.web_search_call.searching',
        'response.web_search_call.completed',
      ]),
    );
    const calls = ofType(items, 'web_search_call');
    expect(calls.map((item) => [item.status, item.action.type])).toEqual([
      ['completed', 'search'],
      ['completed', 'open_page'],
    ]);
    const part = ofType(items, 'message')[0]?.content[0];
    expect(part?.type === 'output_text' && part.annotations).toContainEqual(
      expect.objectContaining({ type: 'url_citation', url }),
    );
  });

  it('browser: a page opened in Chromium shows as a web_search_call', { timeout: 120_000 }, async () => {
    const { final, items } = await consume(
      client.responses.stream({
        model: 'scripted',
        input: `open ${site.url}/article`,
        tools: ['browser'] as never,
      }),
    );
    expect(final.status).toBe('completed');
    expect(ofType(items, 'web_search_call')[0]).toMatchObject({
      status: 'completed',
      tool: 'browser',
      action: { type: 'open_page', title: 'Loopback Lighthouses' },
    });
    expect(final.output_text).toContain('built in 1874');
  });

  it('file_search: the search streams as OpenAI streams it and its results are in the item', async () => {
    const file = await client.files.create({
      file: new File(['Refund policy: unused items may be returned within 30 days.'], 'refunds.txt'),
      purpose: 'assistants',
    });
    const store = await client.vectorStores.create({ name: 'kb', file_ids: [file.id] });
    for (let attempt = 0; attempt < 400; attempt++) {
      const current = await api.get(`/v1/vector_stores/${store.id}`);
      if (current.body.file_counts.completed === 1) break;
      await sleep(50);
    }
    fake.enqueue(
      { toolCalls: [{ id: 'call_fs', name: 'file_search', arguments: '{"query":"refund days"}' }] },
      { text: 'You have 30 days [1].' },
    );
    const { types, final, items } = await consume(
      client.responses.stream({
        model: 'fake-model',
        input: 'How long for a refund?',
        tools: [{ type: 'file_search', vector_store_ids: [store.id] }],
        include: ['file_search_call.results'],
      }),
    );
    expect(final.output_text).toBe('You have 30 days [1].');
    expect(types).toEqual(
      expect.arrayContaining([
        'response.file_search_call.in_progress',
        'response.file_search_call.searching',
        'response.file_search_call.completed',
      ]),
    );
    const call = ofType(items, 'file_search_call')[0];
    expect(call).toMatchObject({ status: 'completed', queries: ['refund days'] });
    expect(call?.results?.[0]).toMatchObject({ file_id: file.id, filename: 'refunds.txt' });
  });
});
