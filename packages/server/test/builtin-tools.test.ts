import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToolContext, ToolResult } from '@agentd/core';
import { startTestServer, type TestServer } from '@agentd/test-server';
import {
  ApiClient,
  type CloseLater,
  readSse,
  type SseEvent,
  startFakeOpenAI,
  suiteFixture,
} from '@agentd/testing';
import { UNTRUSTED_CONTENT_INSTRUCTION } from '@agentd/tool-web';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { createModelResolver } from '../src/models/model-resolver.js';
import { builtinToolObject } from '../src/responses/builtin-tool-objects.js';
import type { ArtifactStore } from '../src/tools/builtins/artifact-store.js';
import { BuiltinTools } from '../src/tools/builtins/builtin-tools.js';
import { childProcesses } from './support/child-processes.js';

const noArtifacts: ArtifactStore = { save: async () => ({ fileId: 'file_test' }) };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small web server on loopback; `hits` records every path it served. */
interface Site {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

async function startSite(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Site> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ARTICLE_TITLE = 'Loopback Lighthouses';
const ARTICLE_HTML = `<!doctype html><html><head><title>${ARTICLE_TITLE}</title></head><body>
<main><article><h1>${ARTICLE_TITLE}</h1>
<p>The lighthouse at Loopback Point was built in 1874 and still guides ships along the rocky coast.</p>
<p>Its lamp is visible for twenty nautical miles on a clear night, and keepers lived there until 1962.</p>
<p id="js"></p>
</article></main>
<script>document.getElementById('js').textContent = 'Rendered by JavaScript: the beacon flashes every ten seconds.';</script>
</body></html>`;

/** The events of a streamed create, in order. */
async function streamCreate(server: TestServer, body: Record<string, unknown>, key = server.adminKey) {
  const response = await fetch(`${server.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  expect(response.status).toBe(200);
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) events.push(event);
  return events;
}

function textOf(response: { output: Array<{ type: string; content?: Array<{ text: string }> }> }): string {
  const message = response.output.filter((item) => item.type === 'message').at(-1);
  return message?.content?.map((part) => part.text).join('') ?? '';
}

/** Child processes of this test process whose command is Chromium. */
const chromiumChildren = () => childProcesses(/chrom/i);

/** The article site, a loopback site that is not allowlisted, and a SearXNG that finds the article. */
async function startSites(closeLater: CloseLater) {
  const site = closeLater(
    await startSite((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        req.url === '/article'
          ? ARTICLE_HTML
          : '<html><head><title>Other</title></head><body>x</body></html>',
      );
    }),
  );
  // Loopback too, but not allowlisted: nothing may reach it.
  const secret = closeLater(
    await startSite((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('the host secret');
    }),
  );
  const searx = closeLater(
    await startSite((req, res) => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('q');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          query,
          results: [
            {
              title: ARTICLE_TITLE,
              url: `${site.url}/article`,
              content: 'The lighthouse at Loopback Point…',
            },
            { title: 'Other page', url: `${site.url}/other`, content: 'Something else.' },
          ],
        }),
      );
    }),
  );
  return { site, secret, searx };
}

describe('built-in tools through the HTTP API', () => {
  const suite = suiteFixture(async (closeLater) => {
    const fake = closeLater(await startFakeOpenAI());
    const sites = await startSites(closeLater);
    const server = closeLater(
      await startTestServer({
        backend: 'pglite',
        env: {
          OPENAI_BASE_URL: fake.baseURL,
          OPENAI_API_KEY: 'sk-fake',
          AGENTD_DEFAULT_MODEL: 'fake-model',
          AGENTD_NET_ALLOW: new URL(sites.site.url).host,
          AGENTD_SEARXNG_URL: sites.searx.url,
          AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
          // Interpreters boot on first use (code-interpreter-prewarm.test.ts covers the default, on).
          AGENTD_CODE_INTERPRETER_PREWARM: 'off',
        },
      }),
    );
    return { fake, ...sites, server, api: new ApiClient(server.url, server.adminKey) };
  }, 60_000);

  const builtins = () => {
    const tools = suite.server.server.services.tools.builtins;
    if (!tools) throw new Error('the server has no built-in tools');
    return tools;
  };

  it('with prewarm off, starts no Pyodide worker and no Chromium until the first call', async () => {
    // Listing tools registers the built-ins: that must not start them either.
    const listed = await suite.api.get('/v1/tools?limit=100');
    expect(listed.status).toBe(200);
    const status = await builtins().status();
    expect(status.pyodide).toBe(false);
    expect(status.cpython).toBe(false);
    expect(status.pools).toEqual({ pyodide: null, cpython: null });
    expect(status.browser).toMatchObject({ browserRunning: false, launches: 0, sessions: 0 });
    expect(chromiumChildren()).toEqual([]);
  });

  it('lists the five built-ins in GET /v1/tools as builtin', async () => {
    const listed = await suite.api.get('/v1/tools?limit=100');
    const builtin = listed.body.data.filter((tool: { source: string }) => tool.source === 'builtin');
    expect(builtin.map((tool: { name: string }) => tool.name).sort()).toEqual([
      'browser',
      'code_interpreter',
      'fetch_url',
      'file_search',
      'web_search',
    ]);
    for (const tool of builtin) {
      expect(tool).toMatchObject({
        id: `builtin:${tool.name}`,
        object: 'tool',
        health: 'healthy',
        manifest: { name: tool.name, adapter: { type: 'builtin', tool: tool.name } },
      });
      expect(tool.manifest.input_schema).toMatchObject({ type: 'object' });
    }
  });

  it('runs Python from a plain request and streams a code_interpreter_call', {
    timeout: 120_000,
  }, async () => {
    const events = await streamCreate(suite.server, {
      model: 'scripted',
      input: 'run python: print(1+1)',
      tools: ['code_interpreter'],
      include: ['code_interpreter_call.outputs'],
    });
    const types = events.map((event) => event.data.type as string);
    expect(types.at(-1)).toBe('response.completed');
    const added = events.find(
      (event) =>
        event.data.type === 'response.output_item.added' && event.data.item.type === 'code_interpreter_call',
    );
    expect(added?.data.item).toMatchObject({
      status: 'in_progress',
      code: '',
      outputs: null,
      runtime: 'pyodide',
    });
    const itemId = added?.data.item.id as string;
    expect(itemId).toMatch(/^ci_/);
    const own = events.filter((event) => event.data.item_id === itemId || event.data.item?.id === itemId);
    expect(own.map((event) => event.data.type)).toEqual([
      'response.output_item.added',
      'response.code_interpreter_call.in_progress',
      'response.code_interpreter_call_code.delta',
      'response.code_interpreter_call_code.done',
      'response.code_interpreter_call.interpreting',
      'response.code_interpreter_call.completed',
      'response.output_item.done',
    ]);
    expect(own[2]?.data.delta).toBe('print(1+1)');
    const done = own.at(-1)?.data.item;
    expect(done).toMatchObject({
      type: 'code_interpreter_call',
      code: 'print(1+1)',
      status: 'completed',
      container_id: expect.stringMatching(/^cntr_/),
      outputs: [{ type: 'logs', logs: '2' }],
    });

    // The snapshot is the fold of the events: the same item, then the model's pair and the answer.
    const final = events.at(-1)?.data.response;
    const stored = await suite.api.get(`/v1/responses/${final.id}?include=code_interpreter_call.outputs`);
    expect(stored.body.output).toEqual(final.output);
    expect(final.output.map((item: { type: string }) => item.type)).toEqual([
      'function_call',
      'code_interpreter_call',
      'function_call_output',
      'message',
    ]);
    expect(final.output[1]).toEqual(done);
    expect(final.output[1].call_id).toBe(final.output[0].call_id);
    expect(textOf(final)).toContain('code_interpreter returned:\nstdout:\n2');
    expect((await builtins().status()).pyodide).toBe(true);
  });

  it('keeps interpreter state across the responses of a conversation and of a chain', {
    timeout: 120_000,
  }, async () => {
    const conversation = await suite.api.post('/v1/conversations', {});
    const first = await suite.api.post('/v1/responses', {
      model: 'scripted',
      conversation: conversation.body.id,
      input: 'run python: answer = 41',
      tools: ['code_interpreter'],
    });
    expect(first.body.status).toBe('completed');
    const second = await suite.api.post('/v1/responses', {
      model: 'scripted',
      conversation: conversation.body.id,
      input: 'run python: print(answer + 1)',
      tools: ['code_interpreter'],
    });
    expect(textOf(second.body)).toContain('stdout:\n42');
    // Both responses of the conversation ran in one container.
    const containers = [first.body, second.body].map(
      (response) =>
        response.output.find((item: { type: string }) => item.type === 'code_interpreter_call').container_id,
    );
    expect(containers[0]).toBe(containers[1]);
    // The conversation keeps the typed items too.
    const items = await suite.api.get(`/v1/conversations/${conversation.body.id}/items?order=asc&limit=100`);
    expect(
      items.body.data.filter((item: { type: string }) => item.type === 'code_interpreter_call'),
    ).toHaveLength(2);

    // A previous_response_id chain is one session: its first response's.
    const a = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: 'run python: chained = "yes"',
      tools: ['code_interpreter'],
    });
    const b = await suite.api.post('/v1/responses', {
      model: 'scripted',
      previous_response_id: a.body.id,
      input: 'run python: print(chained)',
      tools: ['code_interpreter'],
    });
    const c = await suite.api.post('/v1/responses', {
      model: 'scripted',
      previous_response_id: b.body.id,
      input: 'run python: print(chained * 2)',
      tools: ['code_interpreter'],
    });
    expect(textOf(b.body)).toContain('stdout:\nyes');
    expect(textOf(c.body)).toContain('stdout:\nyesyes');
    // A new chain does not see it.
    const fresh = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: 'run python: print(chained)',
      tools: ['code_interpreter'],
    });
    expect(textOf(fresh.body)).toContain("NameError: name 'chained' is not defined");
  });

  it('keeps two tenants apart, even under the same session key', { timeout: 120_000 }, async () => {
    // Through the API: another tenant's run sees nothing of ours.
    const tenant = await suite.api.post('/v1/tenants', { name: 'other-tenant' });
    expect(tenant.status).toBe(200);
    const other = suite.api.withKey(tenant.body.api_key.value);
    const mine = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: 'run python: owner = "tenant A"',
      tools: ['code_interpreter'],
    });
    const theirs = await other.post('/v1/responses', {
      model: 'scripted',
      previous_response_id: mine.body.id,
      input: 'run python: print(owner)',
      tools: ['code_interpreter'],
    });
    expect(theirs.status).toBe(404);

    // Directly: the same session key in two tenants is two interpreters.
    const tool = builtins().tools.get('code_interpreter');
    const call = async (tenantId: string, code: string): Promise<ToolResult> => {
      const context: ToolContext = {
        signal: new AbortController().signal,
        callId: `call_${tenantId}_${code.length}`,
        scope: { tenantId, responseId: 'resp_direct', sessionKey: 'shared-session-key' },
      };
      const result = await tool!.execute({ code }, context);
      return typeof result === 'string' ? { output: result } : result;
    };
    await call('tenant_one', 'marker = "one"');
    expect((await call('tenant_one', 'print(marker)')).output).toContain('one');
    const leak = await call('tenant_two', 'print(marker)');
    expect(leak.isError).toBe(true);
    expect(leak.output).toContain("NameError: name 'marker' is not defined");
  });

  it('reads an allowlisted loopback page from "open <url>" (scripted, fetch_url)', async () => {
    const url = `${suite.site.url}/article`;
    const response = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: `open ${url}`,
      tools: ['fetch_url'],
    });
    expect(response.body.status).toBe('completed');
    const item = response.body.output.find((entry: { type: string }) => entry.type === 'web_search_call');
    expect(item).toMatchObject({
      id: expect.stringMatching(/^ws_/),
      status: 'completed',
      tool: 'fetch_url',
      action: { type: 'open_page', url, title: ARTICLE_TITLE },
    });
    const text = textOf(response.body);
    expect(text).toContain('fetch_url returned:');
    expect(text).toContain('built in 1874');
    // The URL the stand-in repeats is cited.
    const annotations = response.body.output.at(-1).content[0].annotations;
    expect(annotations[0]).toMatchObject({ type: 'url_citation', url, title: ARTICLE_TITLE });
    expect(text.slice(annotations[0].start_index, annotations[0].end_index)).toBe(url);
  });

  it('opens a page in Chromium on the first browser call (scripted "open")', {
    timeout: 120_000,
  }, async () => {
    expect((await builtins().status()).browser?.launches).toBe(0);
    const response = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: `open ${suite.site.url}/article`,
      tools: ['browser'],
    });
    expect(response.body.status).toBe('completed');
    const text = textOf(response.body);
    expect(text).toContain('browser returned:');
    expect(text).toContain('Rendered by JavaScript: the beacon flashes every ten seconds.');
    const item = response.body.output.find((entry: { type: string }) => entry.type === 'web_search_call');
    expect(item).toMatchObject({
      tool: 'browser',
      status: 'completed',
      action: { type: 'open_page', title: ARTICLE_TITLE },
    });
    const status = await builtins().status();
    expect(status.browser).toMatchObject({ launches: 1, browserRunning: true, directConnectionAttempts: 0 });
  });

  it('searches, reads and cites: web_search_call items and url_citation annotations', async () => {
    suite.fake.reset();
    const url = `${suite.site.url}/article`;
    const answer = `The lighthouse was built in 1874 ([${ARTICLE_TITLE}](${url})); keepers left in 1962, per ${url}.`;
    suite.fake.enqueue(
      {
        toolCalls: [{ id: 'call_search', name: 'web_search', arguments: '{"query":"loopback lighthouse"}' }],
      },
      { toolCalls: [{ id: 'call_fetch', name: 'fetch_url', arguments: JSON.stringify({ url }) }] },
      { text: answer },
    );
    const events = await streamCreate(suite.server, {
      input: 'When was the Loopback Point lighthouse built?',
      instructions: 'Cite your sources.',
      tools: [{ type: 'web_search' }],
    });
    const final = events.at(-1)?.data.response;
    expect(final.status).toBe('completed');
    expect(final.tools).toEqual([{ type: 'web_search' }]);

    // The model was told that web text is data, after the request's own instructions.
    const system = suite.fake.requests[0]?.body.messages[0];
    expect(system).toEqual({
      role: 'system',
      content: `Cite your sources.\n\n${UNTRUSTED_CONTENT_INSTRUCTION}`,
    });
    expect(
      suite.fake.requests[0]?.body.tools.map((tool: { function: { name: string } }) => tool.function.name),
    ).toEqual(['web_search', 'fetch_url']);

    const searches = final.output.filter((item: { type: string }) => item.type === 'web_search_call');
    expect(searches).toEqual([
      {
        type: 'web_search_call',
        id: expect.stringMatching(/^ws_/),
        call_id: 'call_search',
        tool: 'web_search',
        status: 'completed',
        action: {
          type: 'search',
          query: 'loopback lighthouse',
          sources: [
            { type: 'url', url, title: ARTICLE_TITLE },
            { type: 'url', url: `${suite.site.url}/other`, title: 'Other page' },
          ],
        },
      },
      {
        type: 'web_search_call',
        id: expect.stringMatching(/^ws_/),
        call_id: 'call_fetch',
        tool: 'fetch_url',
        status: 'completed',
        action: { type: 'open_page', url, title: ARTICLE_TITLE },
      },
    ]);
    const searchId = searches[0].id;
    expect(events.filter((event) => event.data.item_id === searchId).map((event) => event.data.type)).toEqual(
      [
        'response.web_search_call.in_progress',
        'response.web_search_call.searching',
        'response.web_search_call.completed',
      ],
    );

    const message = final.output.at(-1);
    const part = message.content[0];
    expect(part.text).toBe(answer);
    const link = `[${ARTICLE_TITLE}](${url})`;
    expect(part.annotations).toEqual([
      {
        type: 'url_citation',
        start_index: answer.indexOf(link),
        end_index: answer.indexOf(link) + link.length,
        url,
        title: ARTICLE_TITLE,
      },
      {
        type: 'url_citation',
        start_index: answer.lastIndexOf(url),
        end_index: answer.lastIndexOf(url) + url.length,
        url,
        title: ARTICLE_TITLE,
      },
    ]);
    const added = events.filter((event) => event.data.type === 'response.output_text.annotation.added');
    expect(added.map((event) => event.data.annotation)).toEqual(part.annotations);
    // Persisted and folded: the stored response and its event log agree.
    const stored = await suite.api.get(`/v1/responses/${final.id}`);
    expect(stored.body.output).toEqual(final.output);
  });

  it('blocks loopback and metadata addresses that are not allowlisted (SSRF)', async () => {
    suite.fake.reset();
    const targets = [
      `${suite.secret.url}/`,
      'http://169.254.169.254/latest/meta-data/',
      `http://localhost:${new URL(suite.secret.url).port}/`,
    ];
    suite.fake.enqueue(
      {
        toolCalls: targets.map((url, index) => ({
          id: `call_ssrf_${index}`,
          name: 'fetch_url',
          arguments: JSON.stringify({ url }),
        })),
      },
      { text: 'I could not read those.' },
    );
    const response = await suite.api.post('/v1/responses', { input: 'read these', tools: ['fetch_url'] });
    expect(response.body.status).toBe('completed');
    const outputs = response.body.output.filter(
      (item: { type: string }) => item.type === 'function_call_output',
    );
    expect(outputs).toHaveLength(3);
    for (const output of outputs) expect(output.output).toMatch(/Blocked by the network policy/);
    const items = response.body.output.filter((item: { type: string }) => item.type === 'web_search_call');
    expect(items.map((item: { status: string }) => item.status)).toEqual(['failed', 'failed', 'failed']);
    expect(suite.secret.hits).toEqual([]);

    // The scripted "open" is held to the same policy, in the browser too.
    const opened = await suite.api.post('/v1/responses', {
      model: 'scripted',
      input: `open ${suite.secret.url}/`,
      tools: ['browser'],
    });
    expect(textOf(opened.body)).toMatch(/Blocked by the network policy/);
    expect(suite.secret.hits).toEqual([]);
  });

  it('stores a browser screenshot as an image artifact', { timeout: 60_000 }, async () => {
    suite.fake.reset();
    suite.fake.enqueue(
      {
        toolCalls: [
          {
            id: 'call_open',
            name: 'browser',
            arguments: JSON.stringify({ action: 'open', url: `${suite.site.url}/article` }),
          },
        ],
      },
      { toolCalls: [{ id: 'call_shot', name: 'browser', arguments: '{"action":"screenshot"}' }] },
      { text: 'Here it is.' },
    );
    const response = await suite.api.post('/v1/responses', { input: 'show me', tools: ['browser'] });
    expect(response.body.status).toBe('completed');
    const shot = response.body.output.find(
      (entry: { type: string; action?: { type: string } }) => entry.action?.type === 'screenshot',
    );
    expect(shot).toMatchObject({
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'screenshot', url: `${suite.site.url}/article`, title: ARTICLE_TITLE },
      outputs: [{ type: 'image', file_id: expect.stringMatching(/^file_/) }],
    });
    const toModel = response.body.output.find(
      (entry: { type: string; call_id: string }) =>
        entry.type === 'function_call_output' && entry.call_id === 'call_shot',
    );
    expect(toModel.output).toContain(`Stored as ${shot.outputs[0].file_id}`);
  });

  it('takes built-in tool objects, and an agent chooses the default runtime', {
    timeout: 120_000,
  }, async () => {
    const agent = await suite.api.post('/v1/agents', {
      name: 'numbers',
      tools: [{ type: 'code_interpreter', container: { type: 'auto' }, runtime: 'cpython' }],
    });
    expect(agent.status).toBe(200);
    suite.fake.reset();
    suite.fake.enqueue(
      {
        toolCalls: [
          {
            id: 'call_np',
            name: 'code_interpreter',
            arguments: JSON.stringify({
              code: [
                'import numpy as np',
                'import matplotlib.pyplot as plt',
                'plt.plot(np.arange(4))',
                "open('/mnt/data/sums.csv', 'w').write('n,sum\\n4,6\\n')",
                'print(np.arange(4).sum())',
              ].join('\n'),
            }),
          },
        ],
      },
      { text: 'Six.' },
    );
    const response = await suite.api.post('/v1/responses', {
      agent: 'numbers',
      input: 'sum 0..3 with numpy',
      include: ['code_interpreter_call.outputs'],
    });
    expect(response.body.status).toBe('completed');
    expect(response.body.tools).toEqual([
      { type: 'code_interpreter', container: { type: 'auto' }, runtime: 'cpython' },
    ]);
    const item = response.body.output.find(
      (entry: { type: string }) => entry.type === 'code_interpreter_call',
    );
    // The figure and the file are stored as artifacts; the item carries their ids.
    expect(item).toMatchObject({
      runtime: 'cpython',
      status: 'completed',
      outputs: [
        { type: 'logs', logs: expect.stringMatching(/(^|\n)6$/) },
        {
          type: 'image',
          file_id: expect.stringMatching(/^file_/),
          // An absolute link a browser can open: the request's origin, a signed token.
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1\/files\/file_\w+\/content\?token=v1\./),
        },
        {
          type: 'file',
          path: '/mnt/data/sums.csv',
          mime_type: 'text/csv',
          bytes: 10,
          file_id: expect.stringMatching(/^file_/),
        },
      ],
    });
    const toModel = response.body.output.find(
      (entry: { type: string }) => entry.type === 'function_call_output',
    );
    expect(toModel.output).toContain(`figure 1 as ${item.outputs[1].file_id}`);
    const parameters = suite.fake.requests[0]?.body.tools[0].function.parameters;
    expect(parameters.properties.runtime.description).toBe("Where to run it. Default 'cpython'.");

    const bad = await suite.api.post('/v1/responses', {
      input: 'x',
      tools: ['code_interpreter', { type: 'code_interpreter', runtime: 'fortran' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_value', param: 'tools[1].runtime' });
  });

  it('stops Chromium and the interpreters when the server stops', { timeout: 60_000 }, async () => {
    const browsers = chromiumChildren();
    expect(browsers.length).toBeGreaterThan(0);
    const threads = () => readdirSync('/proc/self/task').length;
    const before = threads();
    await suite.server.stop();
    for (let i = 0; i < 100 && chromiumChildren().length > 0; i++) await sleep(50);
    expect(chromiumChildren()).toEqual([]);
    // The Pyodide workers (threads of this process) are gone too.
    expect(threads()).toBeLessThan(before);
  });
});

describe('built-in tools turned off', () => {
  // Without a server: a second PGlite start would cost more than everything checked here.
  const config = loadConfig({
    AGENTD_CODE_INTERPRETER: 'off',
    AGENTD_BROWSER: 'off',
    AGENTD_FETCH_URL: 'off',
    AGENTD_WEB_SEARCH: 'off',
  });
  const builtins = new BuiltinTools({ config, logger: pino({ level: 'silent' }), artifacts: noArtifacts });
  afterAll(() => builtins.close());

  it('are not registered, and naming one is a 400 that says why', () => {
    expect(builtins.manifests).toEqual([]);
    expect(builtins.tools.size).toBe(0);
    expect(builtins.unavailable('browser')).toContain('AGENTD_BROWSER=off');
    let refused: unknown;
    try {
      builtinToolObject({ type: 'code_interpreter' }, 'tools[0]', builtins);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'unsupported_tool', param: 'tools[0]' });
    expect((refused as Error).message).toContain('AGENTD_CODE_INTERPRETER=off');
  });

  it('leaves the stand-in model saying the tool is off, not to name it in tools', async () => {
    const model = createModelResolver(config, {
      unavailable: (tool) => builtins.unavailable(tool),
    }).resolve('scripted');
    let text = '';
    for await (const part of model.stream({
      model: 'scripted',
      messages: [{ role: 'user', content: 'run python: print(1)' }],
      tools: [],
      settings: {},
    })) {
      if (part.type === 'text-delta') text += part.delta;
    }
    expect(text).toContain(
      'That needs the code_interpreter tool, which is not available: it is turned off on this server (AGENTD_CODE_INTERPRETER=off).',
    );
    expect(text).not.toContain('"tools": ["code_interpreter"]');
  });

  it('refuses a bad network rule or search backend at start, naming the setting', () => {
    const make = (env: Record<string, string>) => () =>
      new BuiltinTools({
        config: loadConfig(env),
        logger: pino({ level: 'silent' }),
        artifacts: noArtifacts,
      });
    expect(make({ AGENTD_NET_ALLOW: '10.0.0.0/99' })).toThrow(/^AGENTD_NET_ALLOW: /);
    expect(make({ AGENTD_SEARCH_BACKEND: 'brave' })).toThrow(/^AGENTD_SEARCH_BACKEND: /);
  });
});
