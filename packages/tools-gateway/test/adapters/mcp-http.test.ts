import type { McpAdapterConfig, ToolManifest } from '@agentd/spec';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError, createMcpAdapter, type McpAdapter } from '../../src/index.js';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';
import { toolContext, waitFor } from './support/tool-context.js';

const slowCalls: { started: boolean; cancelled: boolean }[] = [];
const seenHeaders: string[] = [];

function setup(server: McpServer): void {
  server.registerTool(
    'greet',
    { description: 'Greets someone', inputSchema: { name: z.string() } },
    async ({ name }, extra) => {
      seenHeaders.push(String(extra.requestInfo?.headers['x-tenant']));
      return { content: [{ type: 'text', text: `Hello, ${name}!` }] };
    },
  );
  server.registerTool('fail', { description: 'Always fails' }, async () => ({
    content: [{ type: 'text', text: 'it broke' }],
    isError: true,
  }));
  server.registerTool(
    'weather',
    {
      description: 'Weather with structured content',
      outputSchema: { temperature: z.number() },
    },
    async () => ({
      content: [{ type: 'text', text: 'It is 21 degrees.' }],
      structuredContent: { temperature: 21 },
    }),
  );
  server.registerTool('slow', { description: 'Waits until cancelled or 20 s pass' }, async (extra) => {
    const call = { started: true, cancelled: false };
    slowCalls.push(call);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      extra.signal.addEventListener('abort', () => {
        call.cancelled = true;
        clearTimeout(timer);
        resolve();
      });
    });
    return { content: [{ type: 'text', text: 'finished' }] };
  });
}

let server: McpHttpServer;
let adapter: McpAdapter;

function manifest(): ToolManifest & { adapter: McpAdapterConfig } {
  return {
    name: 'remote',
    adapter: { type: 'mcp', transport: 'http', url: server.url, headers: { 'x-tenant': 'acme' } },
  };
}

beforeAll(async () => {
  server = await startMcpHttpServer(setup);
  adapter = createMcpAdapter(manifest(), { restartBackoffMs: { initial: 50, max: 200 } });
});

afterAll(async () => {
  await adapter.close();
  await server.stop();
});

describe('MCP adapter over Streamable HTTP', () => {
  it('connects lazily, lists the tools and calls one with the manifest headers', async () => {
    expect(server.sessions).toHaveLength(0);
    expect((await adapter.list()).map((tool) => tool.name)).toEqual(['greet', 'fail', 'weather', 'slow']);
    expect(await adapter.call('greet', { name: 'Ada' }, toolContext())).toEqual({ output: 'Hello, Ada!' });
    expect(seenHeaders.at(-1)).toBe('acme');
  });

  it('maps isError and structured content', async () => {
    expect(await adapter.call('fail', {}, toolContext())).toEqual({ output: 'it broke', isError: true });
    expect(await adapter.call('weather', {}, toolContext())).toEqual({ output: '{"temperature":21}' });
  });

  it('follows list_changed: a tool added and removed on the server shows in the list, and onChange fires', async () => {
    await adapter.start();
    await waitFor(() => server.sseStreams() > 0);
    let changes = 0;
    const off = adapter.onChange(() => {
      changes++;
    });
    const session = server.sessions.at(-1)!;
    const added = session.registerTool('added', { description: 'Added later' }, async () => ({
      content: [{ type: 'text', text: 'new tool' }],
    }));
    await waitFor(async () => (await adapter.list()).some((tool) => tool.name === 'added'));
    expect(changes).toBeGreaterThanOrEqual(1);
    expect(await adapter.call('added', {}, toolContext())).toEqual({ output: 'new tool' });

    const before = changes;
    added.remove();
    await waitFor(async () => !(await adapter.list()).some((tool) => tool.name === 'added'));
    expect(changes).toBeGreaterThan(before);
    off();
  });

  it('aborts a slow call when the signal fires; the server sees the cancellation', async () => {
    const controller = new AbortController();
    const outcome = adapter.call('slow', {}, toolContext(controller.signal)).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    const call = await waitFor(() => slowCalls.at(-1));
    expect(call.started).toBe(true);
    const started = Date.now();
    controller.abort(new Error('run cancelled'));
    const error = await outcome;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).message).toBe('run cancelled');
    await waitFor(() => call.cancelled);
    // The connection is still good for other calls.
    expect(await adapter.call('greet', { name: 'again' }, toolContext())).toEqual({
      output: 'Hello, again!',
    });
  });

  it('marks a server that went away unavailable, and healthy again once it is back', async () => {
    let changes = 0;
    const off = adapter.onChange(() => {
      changes++;
    });
    await server.stop();
    const error = await adapter.call('greet', { name: 'x' }, toolContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(adapter.health()).toBe('unavailable');
    expect(changes).toBeGreaterThanOrEqual(1);
    // Its tools stay listed (as unavailable) rather than vanishing.
    expect((await adapter.list()).map((tool) => tool.name)).toContain('greet');
    await expect(adapter.call('greet', { name: 'x' }, toolContext())).rejects.toThrow(
      "the MCP server 'remote' is unavailable while it restarts",
    );

    await server.restart();
    await waitFor(() => adapter.health() === 'healthy');
    expect(await adapter.call('greet', { name: 'back' }, toolContext())).toEqual({ output: 'Hello, back!' });
    off();
  });
});
