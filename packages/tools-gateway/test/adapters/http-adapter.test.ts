import type { IncomingMessage } from 'node:http';
import type { HttpAdapterConfig, ToolManifest } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/adapters/redact-secrets.js';
import { AdapterError, createHttpAdapter } from '../../src/index.js';
import { type LoopbackServer, readBody, startLoopbackServer } from './support/loopback-server.js';
import { toolContext } from './support/tool-context.js';

const SECRET = 'sk-live-7f3a9c1e5b';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
const closed: string[] = [];
let arrived: (url: string) => void = () => undefined;
let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer(async (req, res) => {
    const body = await readBody(req);
    const url = req.url ?? '/';
    seen.push({ method: req.method ?? '', url, headers: req.headers, body });
    res.on('close', () => {
      if (!res.writableFinished) closed.push(url);
    });
    arrived(url);
    const path = url.split('?')[0];
    if (path === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url, body: body ? JSON.parse(body) : null }));
    } else if (path === '/whoami') {
      // A careless endpoint that echoes the credential it was sent.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`you are ${req.headers.authorization}`);
    } else if (path === '/forbidden') {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end(`the token ${req.headers.authorization} may not do this. ${'x'.repeat(2000)}`);
    } else if (path === '/big') {
      // 300 kB at once, then the response stays open: only a reader that stops at the cap returns.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a'.repeat(300_000));
    } else if (path === '/slow') {
      // Never answers.
    } else if (path === '/redirect') {
      res.writeHead(302, { location: '/echo' });
      res.end();
    } else if (path === '/png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(64, 1));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such route');
    }
  });
});

afterAll(async () => {
  await server.close();
});

function manifest(adapter: Omit<HttpAdapterConfig, 'type'>): ToolManifest & { adapter: HttpAdapterConfig } {
  return {
    name: 'lookup',
    description: 'Looks something up',
    input_schema: { type: 'object', properties: { q: { type: 'string' } } },
    adapter: { type: 'http', ...adapter },
  };
}

const secrets = async (name: string) => {
  if (name === 'lookup-token') return `Bearer ${SECRET}`;
  throw new Error(`no secret named ${name}`);
};

describe('HTTP adapter', () => {
  it('offers one tool from the manifest', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/echo` }));
    expect(await adapter.list()).toEqual([
      {
        name: 'lookup',
        description: 'Looks something up',
        inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
      },
    ]);
    expect(adapter.health()).toBe('healthy');
  });

  it('POSTs the arguments as a JSON body with the manifest headers', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/echo`, headers: { 'x-team': 'blue' } }));
    const result = await adapter.call('lookup', { q: 'tea', n: 2 }, toolContext());
    expect(result.isError).toBeUndefined();
    expect(JSON.parse(result.output)).toEqual({ method: 'POST', url: '/echo', body: { q: 'tea', n: 2 } });
    const request = seen.at(-1)!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-team']).toBe('blue');
  });

  it('sends GET arguments as query parameters', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/echo?v=1`, method: 'GET' }));
    const result = await adapter.call(
      'lookup',
      { q: 'green tea', tags: ['a', 'b'], skip: null },
      toolContext(),
    );
    const echoed = JSON.parse(result.output) as { method: string; url: string; body: unknown };
    expect(echoed.method).toBe('GET');
    expect(new URL(echoed.url, server.url).searchParams.getAll('tags')).toEqual(['a', 'b']);
    expect(new URL(echoed.url, server.url).searchParams.get('q')).toBe('green tea');
    expect(new URL(echoed.url, server.url).searchParams.get('v')).toBe('1');
    expect(new URL(echoed.url, server.url).searchParams.has('skip')).toBe(false);
    expect(echoed.body).toBeNull();
  });

  it('sends DELETE arguments as query parameters too', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/echo`, method: 'DELETE' }));
    const echoed = JSON.parse((await adapter.call('lookup', { id: 7 }, toolContext())).output);
    expect(echoed).toEqual({ method: 'DELETE', url: '/echo?id=7', body: null });
  });

  it('sends secret headers resolved from the store, and never shows their values', async () => {
    const adapter = createHttpAdapter(
      manifest({ url: `${server.url}/whoami`, secret_headers: { Authorization: 'lookup-token' } }),
      { resolveSecret: secrets },
    );
    const ok = await adapter.call('lookup', {}, toolContext());
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(ok.output).toBe('you are [redacted]');

    const denied = await createHttpAdapter(
      manifest({ url: `${server.url}/forbidden`, secret_headers: { Authorization: 'lookup-token' } }),
      { resolveSecret: secrets },
    ).call('lookup', {}, toolContext());
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(denied.isError).toBe(true);
    expect(denied.output).toMatch(
      /^HTTP 403 Forbidden from the tool 'lookup': the token \[redacted\] may not/,
    );
    expect(denied.output).not.toContain(SECRET);
    // A short excerpt, not the whole body.
    expect(denied.output.length).toBeLessThan(600);
  });

  it('fails clearly when a secret is missing, naming it but sending nothing', async () => {
    const before = seen.length;
    const adapter = createHttpAdapter(
      manifest({ url: `${server.url}/whoami`, secret_headers: { Authorization: 'nope' } }),
      { resolveSecret: secrets },
    );
    const error = await adapter.call('lookup', {}, toolContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('secret_missing');
    expect((error as AdapterError).message).toBe(
      "the tool 'lookup' (header Authorization) needs the secret 'nope', which is not stored",
    );
    expect(seen.length).toBe(before);
  });

  it('turns a non-2xx answer into an error result naming the status', async () => {
    const result = await createHttpAdapter(manifest({ url: `${server.url}/missing` })).call(
      'lookup',
      {},
      toolContext(),
    );
    expect(result).toEqual({
      output: "HTTP 404 Not Found from the tool 'lookup': no such route",
      isError: true,
    });
  });

  it('stops reading at the size cap and marks the truncation', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/big`, method: 'GET' }), {
      maxResultBytes: 10_000,
    });
    const result = await adapter.call('lookup', {}, toolContext());
    expect(result.output).toBe(`${'a'.repeat(10_000)}\n[truncated: the response is larger than 10000 bytes]`);
    await expect.poll(() => closed.includes('/big')).toBe(true);
  });

  it('refuses to follow redirects', async () => {
    const error = await createHttpAdapter(manifest({ url: `${server.url}/redirect` }))
      .call('lookup', {}, toolContext())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('request_failed');
    expect((error as Error).message).toMatch(
      /^the request to the tool 'lookup' failed: fetch failed: .*redirect/,
    );
  });

  it('summarises a binary answer instead of decoding it', async () => {
    const result = await createHttpAdapter(manifest({ url: `${server.url}/png`, method: 'GET' })).call(
      'lookup',
      {},
      toolContext(),
    );
    expect(result.output).toBe('[binary response: image/png, 64 bytes]');
  });

  it('aborts the request when the run is cancelled; the server sees the connection close', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/slow` }));
    const controller = new AbortController();
    const reached = new Promise<void>((resolve) => {
      arrived = (url) => url === '/slow' && resolve();
    });
    const call = adapter.call('lookup', { q: 'x' }, toolContext(controller.signal));
    const outcome = call.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await reached;
    const started = Date.now();
    controller.abort();
    const error = await outcome;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).name).toBe('AbortError');
    await expect.poll(() => closed.includes('/slow')).toBe(true);
  });

  it('rejects a tool name it does not offer', async () => {
    const adapter = createHttpAdapter(manifest({ url: `${server.url}/echo` }));
    await expect(adapter.call('other', {}, toolContext())).rejects.toThrow(
      "the tool 'lookup' offers no tool named 'other'",
    );
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence, and a cut-off start of a secret at the end of a truncated text', () => {
    expect(redactSecrets('a sk-1 b sk-1', ['sk-1'])).toBe('a [redacted] b [redacted]');
    expect(redactSecrets('token: sk-live-7f', [SECRET], true)).toBe('token: [redacted]');
    expect(redactSecrets('token: sk-live-7f', [SECRET], false)).toBe('token: sk-live-7f');
  });
});
