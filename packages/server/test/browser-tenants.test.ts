import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ToolContext, ToolResult } from '@agentd/core';
import { startTestServer, type TestServer } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The browser keeps one context per tenant and conversation, reused across
// the conversation's calls: the same session key in two tenants is two
// contexts, so one tenant's cookies never reach another tenant's pages.

const TEXT = Array.from(
  { length: 6 },
  (_, i) => `<p>Paragraph ${i} about the lighthouse keeper's log, the tides and the lamp's oil.</p>`,
).join('');
const page = (script: string) =>
  `<!doctype html><html><head><title>Keeper's log</title></head><body><article><h1>Keeper's log</h1>${TEXT}<p id="c"></p></article><script>${script}</script></body></html>`;
const PAGES: Record<string, string> = {
  '/set': page(`document.cookie = 'owner=tenant-one; path=/';`),
  '/show': page(`document.getElementById('c').textContent = 'Cookie: (' + document.cookie + ')';`),
};

let site: Server;
let siteUrl: string;
let server: TestServer;

beforeAll(async () => {
  site = createServer((req, res) => {
    const body = PAGES[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  server = await startTestServer({
    backend: 'pglite',
    env: { AGENTD_NET_ALLOW: new URL(siteUrl).host, AGENTD_CODE_INTERPRETER: 'off' },
  });
}, 180_000);

afterAll(async () => {
  await server?.close();
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
}, 180_000);

const builtins = () => {
  const tools = server.server.services.tools.builtins;
  if (!tools) throw new Error('the server has no built-in tools');
  return tools;
};

async function open(tenantId: string, path: string): Promise<ToolResult> {
  const context: ToolContext = {
    signal: new AbortController().signal,
    callId: `call_${tenantId}_${path.slice(1)}`,
    scope: { tenantId, responseId: 'resp_direct', sessionKey: 'shared-session-key' },
  };
  const result = await builtins()
    .tools.get('browser')!
    .execute({ action: 'open', url: `${siteUrl}${path}` }, context);
  return typeof result === 'string' ? { output: result } : result;
}

describe('browser contexts and tenants', () => {
  it('keeps two tenants apart under the same session key, in one warm browser', {
    timeout: 180_000,
  }, async () => {
    expect((await open('tenant_one', '/set')).isError).toBeUndefined();
    // The same conversation of the same tenant: its context, with its cookie.
    expect((await open('tenant_one', '/show')).output).toContain('Cookie: (owner=tenant-one)');
    // The same session key in another tenant: a context of its own, without it.
    const other = await open('tenant_two', '/show');
    expect(other.isError).toBeUndefined();
    expect(other.output).toContain('Cookie: ()');
    expect(other.output).not.toContain('owner=tenant-one');
    const status = await builtins().status();
    expect(status.browser).toMatchObject({ sessions: 2, launches: 1, browserRunning: true });
  });
});
