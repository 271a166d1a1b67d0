import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer } from './support.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.AGENTD_CHROMIUM ?? '/usr/bin/chromium';

/** The page: an import map to the built SDK, spec and zod, as a bundler would resolve them. */
const PAGE = `<!doctype html><script type="importmap">${JSON.stringify({
  imports: {
    '@agentd/sdk': '/packages/sdk/dist/index.js',
    '@agentd/spec': '/packages/spec/dist/index.js',
    zod: '/node_modules/zod/index.js',
  },
})}</script><title>sdk</title>`;

/** One origin for the page and the API (agentd sends no CORS headers): files from the repo, /v1 proxied. */
function startOrigin(api: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/v1/')) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const upstream = await fetch(`${api}${url}`, {
        method: request.method ?? 'GET',
        headers: Object.fromEntries(
          Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'connection'),
        ) as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      response.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      const reader = upstream.body?.getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        response.write(chunk.value);
      }
      return void response.end();
    }
    if (url === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const file = normalize(join(root, url.split('?')[0] ?? ''));
    if (!file.startsWith(root) || !existsSync(file) || extname(file) !== '.js')
      return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the SDK in a browser (Chromium)', () => {
  let agentd: Awaited<ReturnType<typeof startSdkServer>>;
  let origin: Server;
  let browser: Browser;

  beforeAll(async () => {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/sdk'], { cwd: root });
    agentd = await startSdkServer();
    origin = await startOrigin(agentd.server.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => origin?.close(resolve));
    await agentd?.close();
  });

  it('streams a chat and runs a zod tool in the page', async () => {
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'call_b', name: 'add', arguments: '{"a": 20, "b": 22}' }] },
      { text: 'It is 42.' },
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const address = origin.address() as { port: number };
    await page.goto(`http://127.0.0.1:${address.port}/`);
    const result = await page.evaluate(async (apiKey) => {
      // Resolved by the page's import map, not by Vite: a bare import() through Function. It runs in the
      // test's own Chromium page, on two constant module names; nothing a model or user sent is in it.
      // ast-grep-ignore: dynamic-code-execution
      const importer = new Function('name', 'return import(name)') as (name: string) => Promise<unknown>;
      const { Agent, Agentd, tool } = (await importer('@agentd/sdk')) as typeof import('@agentd/sdk');
      const { z } = (await importer('zod')) as typeof import('zod');
      const client = new Agentd({ baseURL: location.origin, apiKey });
      const add = tool({
        name: 'add',
        parameters: z.object({ a: z.number(), b: z.number() }),
        execute: ({ a, b }) => a + b,
      });
      const agent = new Agent({ client, tools: [add] });
      const types: string[] = [];
      const stream = agent.stream('20 + 22?');
      for await (const event of stream) types.push(event.type);
      return { text: await stream.text(), types };
    }, agentd.server.adminKey);
    expect(errors).toEqual([]);
    expect(result.text).toBe('It is 42.');
    expect(result.types).toContain('client_tool_call.completed');
    expect(result.types.at(-1)).toBe('response.completed');
  });
});
