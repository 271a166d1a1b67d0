import type { McpAdapterConfig, ToolManifest } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError, createMcpAdapter, type McpAdapter } from '../../src/index.js';
import { everythingServerScript } from './support/everything-server.js';
import { toolContext } from './support/tool-context.js';

const CANARY = 'canary-secret-4d1f0b';

function everything(extra: Partial<McpAdapterConfig> = {}): ToolManifest & { adapter: McpAdapterConfig } {
  return {
    name: 'everything',
    adapter: {
      type: 'mcp',
      transport: 'stdio',
      command: process.execPath,
      // `stdio` selects the stdio transport (it is also the default).
      args: [everythingServerScript(), 'stdio'],
      env: { AGENTD_MANIFEST_VAR: 'from-the-manifest' },
      ...extra,
    } as McpAdapterConfig,
  };
}

describe('MCP adapter over stdio, against @modelcontextprotocol/server-everything', () => {
  let adapter: McpAdapter;

  beforeAll(async () => {
    // Set before the server starts: a child that inherited this process's environment would see it.
    process.env.AGENTD_TEST_CANARY = CANARY;
    adapter = createMcpAdapter(everything());
    await adapter.start();
  });

  afterAll(async () => {
    delete process.env.AGENTD_TEST_CANARY;
    await adapter.close();
  });

  it("lists the server's tools with their schemas", async () => {
    const tools = await adapter.list();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env', 'get-tiny-image']));
    const echo = tools.find((tool) => tool.name === 'echo');
    expect(echo?.description).toBe('Echoes back the input string');
    expect(echo?.inputSchema).toMatchObject({
      type: 'object',
      properties: { message: { type: 'string' } },
      required: ['message'],
    });
    expect(adapter.health()).toBe('healthy');
  });

  it('calls echo and get-sum', async () => {
    expect(await adapter.call('echo', { message: 'hello' }, toolContext())).toEqual({
      output: 'Echo: hello',
    });
    expect(await adapter.call('get-sum', { a: 2, b: 40 }, toolContext())).toEqual({
      output: 'The sum of 2 and 40 is 42.',
    });
  });

  it('maps a tool error to an error result', async () => {
    const result = await adapter.call('echo', { message: 42 }, toolContext());
    expect(result.isError).toBe(true);
    expect(result.output).toMatch(/Input validation error/);
  });

  it('summarises non-text content and prefers structured content', async () => {
    const image = await adapter.call('get-tiny-image', {}, toolContext());
    expect(image.output).toMatch(/^Here's the image you requested:\n\[image: image\/png, \d+ bytes\]/);
    const weather = await adapter.call('get-structured-content', { location: 'Chicago' }, toolContext());
    expect(JSON.parse(weather.output)).toEqual({
      temperature: 36,
      conditions: 'Light rain / drizzle',
      humidity: 82,
    });
  });

  it("gives the server the manifest's env and PATH, never this process's secrets", async () => {
    const result = await adapter.call('get-env', {}, toolContext());
    const env = JSON.parse(result.output) as Record<string, string>;
    expect(env.AGENTD_MANIFEST_VAR).toBe('from-the-manifest');
    expect(env.PATH).toBe(process.env.PATH);
    expect(process.env.AGENTD_TEST_CANARY).toBe(CANARY);
    expect(result.output).not.toContain(CANARY);
    // Besides those, only the SDK's fixed list of harmless variables (StdioClientTransport always adds them).
    const allowed = ['AGENTD_MANIFEST_VAR', 'PATH', 'HOME', 'LOGNAME', 'SHELL', 'TERM', 'USER'];
    expect(Object.keys(env).filter((key) => !allowed.includes(key))).toEqual([]);
  });

  it('offers only the allowed tools', async () => {
    const limited = createMcpAdapter(everything({ allow: ['echo', 'get-sum'] }));
    try {
      expect((await limited.list()).map((tool) => tool.name).sort()).toEqual(['echo', 'get-sum']);
      const error = await limited.call('get-env', {}, toolContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AdapterError);
      expect((error as AdapterError).code).toBe('unknown_tool');
      expect(await limited.call('echo', { message: 'ok' }, toolContext())).toEqual({ output: 'Echo: ok' });
    } finally {
      await limited.close();
    }
  });

  it('fails clearly when the server cannot be started, and says so in its health', async () => {
    const broken = createMcpAdapter({
      name: 'broken',
      adapter: { type: 'mcp', transport: 'stdio', command: '/nonexistent/mcp-server' },
    });
    try {
      await expect(broken.list()).rejects.toThrow(/^the MCP server 'broken' could not be started: .*ENOENT/);
      expect(broken.health()).toBe('unavailable');
    } finally {
      await broken.close();
    }
  });
});
