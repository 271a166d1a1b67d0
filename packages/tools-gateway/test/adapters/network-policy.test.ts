import type { ResolvedAddress, Resolver } from '@agentd/net-policy';
import { ALLOW_HINT, NetworkPolicy } from '@agentd/net-policy';
import type { ToolManifest } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError, createAdapter, type McpAdapter } from '../../src/index.js';
import { type LoopbackServer, startLoopbackServer } from './support/loopback-server.js';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';
import { toolContext } from './support/tool-context.js';

const HINT = `(${ALLOW_HINT})`;
const METADATA = `169.254.169.254 is a link-local (cloud metadata) address, which the network policy blocks ${HINT}`;

/** DNS for tests: `metadata.test` is the cloud metadata address, `loop.test` the loopback. */
const resolver: Resolver = async (hostname) => {
  const table: Record<string, ResolvedAddress[]> = {
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'loop.test': [{ address: '127.0.0.1', family: 4 }],
  };
  const answer = table[hostname];
  if (!answer) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  return answer;
};

/** A name that answers a public address first, then the loopback: DNS rebinding. */
function rebinding(): Resolver {
  let asked = 0;
  return async () => [{ address: asked++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
}

const DOCUMENT = (server: string) =>
  JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Echo', version: '1' },
    servers: [{ url: server }],
    paths: { '/echo': { get: { operationId: 'echo', responses: { '200': { description: 'ok' } } } } },
  });

let site: LoopbackServer;
let elsewhere: LoopbackServer;
let mcp: McpHttpServer;
const hits: string[] = [];
const elsewhereHits: string[] = [];

beforeAll(async () => {
  elsewhere = await startLoopbackServer((req, res) => {
    elsewhereHits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'application/json' }).end(DOCUMENT(site.url));
  });
  site = await startLoopbackServer((req, res) => {
    const url = req.url ?? '/';
    hits.push(url);
    if (url === '/openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(DOCUMENT(site.url));
    } else if (url === '/metadata-openapi.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(DOCUMENT('http://169.254.169.254/v1'));
    } else if (url === '/moved-openapi.json') {
      res.writeHead(302, { location: `${elsewhere.url}/openapi.json` }).end();
    } else if (url.startsWith('/redirect')) {
      res.writeHead(302, { location: `${elsewhere.url}/` }).end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
  mcp = await startMcpHttpServer((server) => {
    server.registerTool('greet', { inputSchema: { name: z.string() } }, async ({ name }) => ({
      content: [{ type: 'text', text: `Hello, ${name}!` }],
    }));
  });
});

afterAll(async () => {
  await site.close();
  await elsewhere.close();
  await mcp.stop();
});

/** The default policy: no allow rules, so loopback, private and metadata addresses are refused. */
const strict = new NetworkPolicy();
/** What a test or a local setup allows: the test servers' own host and ports. */
const local = () =>
  new NetworkPolicy({ server: { allow: [`127.0.0.1:${site.port}`, `127.0.0.1:${mcp.port}`] } });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

function http(url: string): ToolManifest {
  return { name: 'lookup', input_schema: { type: 'object' }, adapter: { type: 'http', url, method: 'GET' } };
}

describe('HTTP tools under the network policy', () => {
  it('refuses the metadata address at listing (registration) and at the call, without connecting', async () => {
    const adapter = createAdapter(http('http://169.254.169.254/latest/meta-data/'), {
      networkPolicy: strict,
    });
    const listed = await failure(adapter.list());
    expect(listed).toBeInstanceOf(AdapterError);
    expect(listed).toMatchObject({
      code: 'blocked_by_policy',
      message: `the network policy refused the tool 'lookup': ${METADATA}`,
    });
    expect(await failure(adapter.call('lookup', {}, toolContext()))).toMatchObject({
      code: 'blocked_by_policy',
      category: 'permission',
      message: `the network policy refused the request to the tool 'lookup': ${METADATA}`,
    });
  });

  it('refuses loopback, and a name that resolves to the metadata address', async () => {
    const before = hits.length;
    const loopback = createAdapter(http(`${site.url}/data`), { networkPolicy: strict });
    expect(await failure(loopback.call('lookup', {}, toolContext()))).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('127.0.0.1 is a loopback address'),
    });
    const named = createAdapter(http('http://metadata.test/latest/'), { networkPolicy: strict, resolver });
    expect(await failure(named.list())).toMatchObject({
      message: expect.stringContaining(
        'metadata.test (169.254.169.254) is a link-local (cloud metadata) address',
      ),
    });
    expect(await failure(named.call('lookup', {}, toolContext()))).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('metadata.test (169.254.169.254) is a link-local'),
    });
    expect(hits.length).toBe(before);
  });

  it('calls what an allow rule permits, by address or by name, and still refuses redirects', async () => {
    const allowed = createAdapter(http(`${site.url}/data`), { networkPolicy: local() });
    expect(await allowed.list()).toHaveLength(1);
    expect(await allowed.call('lookup', {}, toolContext())).toEqual({ output: '{"ok":true}' });
    const named = createAdapter(http(`http://loop.test:${site.port}/data`), {
      networkPolicy: local(),
      resolver,
    });
    expect(await named.call('lookup', {}, toolContext())).toEqual({ output: '{"ok":true}' });
    const redirected = await failure(
      createAdapter(http(`${site.url}/redirect`), { networkPolicy: local() }).call(
        'lookup',
        {},
        toolContext(),
      ),
    );
    expect(redirected).toMatchObject({ code: 'request_failed', message: expect.stringMatching(/redirect/) });
    expect(elsewhereHits).toEqual([]);
  });

  it('checks the address it connects to, not only the one it checked first (DNS rebinding)', async () => {
    const adapter = createAdapter(http(`http://rebind.test:${site.port}/data`), {
      networkPolicy: strict,
      resolver: rebinding(),
    });
    expect(await adapter.list()).toHaveLength(1);
    expect(await failure(adapter.call('lookup', {}, toolContext()))).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('rebind.test (127.0.0.1) is a loopback address'),
    });
  });

  it('takes a policy or its own fetch, not both', () => {
    expect(() => createAdapter(http(`${site.url}/data`), { networkPolicy: strict, fetch })).toThrow(
      /network policy or its own fetch, not both/,
    );
  });
});

describe('OpenAPI tools under the network policy', () => {
  const openapi = (document: string): ToolManifest => ({
    name: 'echoes',
    adapter: { type: 'openapi', document },
  });

  it('refuses to fetch a document from a blocked address', async () => {
    const before = hits.length;
    expect(
      await failure(createAdapter(openapi(`${site.url}/openapi.json`), { networkPolicy: strict }).list()),
    ).toMatchObject({
      code: 'blocked_by_policy',
      message: `the network policy refused the fetch of the OpenAPI document ${site.url}/openapi.json: 127.0.0.1 is a loopback address, which the network policy blocks ${HINT}`,
    });
    expect(
      await failure(
        createAdapter(openapi('http://metadata.test/openapi.json'), {
          networkPolicy: strict,
          resolver,
        }).list(),
      ),
    ).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('metadata.test (169.254.169.254)'),
    });
    expect(hits.length).toBe(before);
  });

  it('checks each redirect hop of the document fetch', async () => {
    const error = await failure(
      createAdapter(openapi(`${site.url}/moved-openapi.json`), { networkPolicy: local() }).list(),
    );
    expect(error).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('127.0.0.1 is a loopback address'),
    });
    expect(hits).toContain('/moved-openapi.json');
    expect(elsewhereHits).toEqual([]);
  });

  it('refuses a document whose server is the metadata address, at import', async () => {
    const error = await failure(
      createAdapter(openapi(`${site.url}/metadata-openapi.json`), { networkPolicy: local() }).list(),
    );
    expect(error).toMatchObject({
      code: 'blocked_by_policy',
      message: `the network policy refused the tool set 'echoes' (server http://169.254.169.254/v1): ${METADATA}`,
    });
  });

  it('imports and calls an allowed document', async () => {
    const adapter = createAdapter(openapi(`${site.url}/openapi.json`), { networkPolicy: local() });
    expect((await adapter.list()).map((tool) => tool.name)).toEqual(['echo']);
    expect(await adapter.call('echo', {}, toolContext())).toEqual({ output: '{"ok":true}' });
  });
});

describe('MCP servers over HTTP under the network policy', () => {
  const remote = (url: string): ToolManifest => ({
    name: 'remote',
    adapter: { type: 'mcp', transport: 'http', url },
  });

  it('refuses to connect to a blocked address, or a name that resolves to one', async () => {
    const sessions = mcp.sessions.length;
    const loopback = createAdapter(remote(mcp.url), { networkPolicy: strict }) as McpAdapter;
    expect(await failure(loopback.start())).toMatchObject({
      code: 'blocked_by_policy',
      message: `the network policy refused the MCP server 'remote': 127.0.0.1 is a loopback address, which the network policy blocks ${HINT}`,
    });
    const named = createAdapter(remote(`http://loop.test:${mcp.port}/mcp`), {
      networkPolicy: strict,
      resolver,
    }) as McpAdapter;
    expect(await failure(named.list())).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('loop.test (127.0.0.1) is a loopback address'),
    });
    const metadata = createAdapter(remote('http://169.254.169.254/mcp'), { networkPolicy: strict });
    expect(await failure(metadata.call('greet', { name: 'x' }, toolContext()))).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining(METADATA),
    });
    expect(mcp.sessions.length).toBe(sessions);
    await Promise.all([loopback.close(), named.close(), metadata.close()]);
  });

  it('checks every connection of the transport, not only the URL (DNS rebinding)', async () => {
    const sessions = mcp.sessions.length;
    const adapter = createAdapter(remote(`http://rebind.test:${mcp.port}/mcp`), {
      networkPolicy: strict,
      resolver: rebinding(),
    });
    expect(await failure(adapter.list())).toMatchObject({
      code: 'blocked_by_policy',
      message: `the network policy refused the connection to the MCP server 'remote': rebind.test (127.0.0.1) is a loopback address, which the network policy blocks ${HINT}`,
    });
    expect(mcp.sessions.length).toBe(sessions);
    await adapter.close();
  });

  it('connects and calls where an allow rule permits', async () => {
    const adapter = createAdapter(remote(mcp.url), { networkPolicy: local() });
    try {
      expect((await adapter.list()).map((tool) => tool.name)).toEqual(['greet']);
      expect(await adapter.call('greet', { name: 'Ada' }, toolContext())).toEqual({ output: 'Hello, Ada!' });
    } finally {
      await adapter.close();
    }
  });
});
