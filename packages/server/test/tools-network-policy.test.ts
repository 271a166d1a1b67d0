import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, type FakeOpenAI, startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';

const anyInput = { type: 'object' };
const METADATA = '169.254.169.254 is a link-local (cloud metadata) address, which the network policy blocks';

describe("the network policy for tenants' tools (the default: no allow rules)", () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let upstream: ToolServer;
  let mcp: McpHttpServer;
  let api: ApiClient;
  let toolDir: string;

  const upstreamPort = () => Number(new URL(upstream.url).port);

  beforeAll(async () => {
    upstream = await startToolServer({ weather: () => ({ sky: 'clear' }), 'openapi.json': () => ({}) });
    mcp = await startMcpHttpServer((server) => {
      server.registerTool('greet', { description: 'Greets' }, async () => ({
        content: [{ type: 'text', text: 'hello' }],
      }));
    });
    toolDir = mkdtempSync(join(tmpdir(), 'agentd-tooldir-'));
    writeFileSync(
      join(toolDir, 'dir-weather.json'),
      JSON.stringify({
        name: 'dir_weather',
        input_schema: anyInput,
        adapter: { type: 'http', url: `${upstream.url}/weather` },
      }),
    );
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: {
        OPENAI_API_KEY: 'sk-upstream',
        AGENTD_TOOL_DIR: toolDir,
        // The production default: nothing allowed beyond the public internet.
        AGENTD_NET_ALLOW: '',
      },
    });
    ({ fake, api } = agentd);
  });
  afterAll(async () => {
    await agentd?.close();
    await mcp?.close();
    await upstream?.close();
    rmSync(toolDir, { recursive: true, force: true });
  });

  const register = (manifest: Record<string, unknown>) =>
    api.post('/v1/tools', { input_schema: anyInput, ...manifest });

  const expectRefused = (response: Awaited<ReturnType<typeof register>>, reason: string | RegExp) => {
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'tool_unavailable', param: 'adapter' });
    expect(response.body.error.message).toMatch(/^The tool could not be loaded: the network policy refused /);
    if (typeof reason === 'string') expect(response.body.error.message).toContain(reason);
    else expect(response.body.error.message).toMatch(reason);
  };

  it('refuses an HTTP tool at the metadata address, at loopback, or at a name that resolves to loopback', async () => {
    expectRefused(
      await register({
        name: 'meta',
        adapter: { type: 'http', url: 'http://169.254.169.254/latest/meta-data/' },
      }),
      METADATA,
    );
    expectRefused(
      await register({ name: 'loop', adapter: { type: 'http', url: `${upstream.url}/weather` } }),
      '127.0.0.1 is a loopback address',
    );
    expectRefused(
      await register({
        name: 'named',
        adapter: { type: 'http', url: `http://localhost:${upstreamPort()}/weather` },
      }),
      /localhost \((127\.0\.0\.1|::1)\) is a loopback address/,
    );
    expect(upstream.calls).toEqual([]);
  });

  it('refuses an OpenAPI tool whose document or server is at a blocked address', async () => {
    expectRefused(
      await register({ name: 'doc', adapter: { type: 'openapi', document: `${upstream.url}/openapi.json` } }),
      `the fetch of the OpenAPI document ${upstream.url}/openapi.json: 127.0.0.1 is a loopback address`,
    );
    const document = {
      openapi: '3.0.3',
      info: { title: 'Metadata', version: '1' },
      servers: [{ url: 'http://169.254.169.254/latest' }],
      paths: {
        '/meta-data': { get: { operationId: 'metadata', responses: { '200': { description: 'ok' } } } },
      },
    };
    expectRefused(await register({ name: 'inline', adapter: { type: 'openapi', document } }), METADATA);
    expect(upstream.calls).toEqual([]);
  });

  it('refuses an MCP server over HTTP at loopback or the metadata address', async () => {
    expectRefused(
      await register({ name: 'mcp_loop', adapter: { type: 'mcp', transport: 'http', url: mcp.url } }),
      "the MCP server 'mcp_loop': 127.0.0.1 is a loopback address",
    );
    expectRefused(
      await register({
        name: 'mcp_meta',
        adapter: { type: 'mcp', transport: 'http', url: 'http://169.254.169.254/mcp' },
      }),
      METADATA,
    );
    expect(mcp.sessions()).toBe(0);
    const listed = (await api.get('/v1/tools')).body.data as { name: string; source: string }[];
    expect(listed.filter((tool) => tool.source === 'api')).toEqual([]);
  });

  it("leaves the operator's tool directory to the operator: its tools reach loopback", async () => {
    fake.enqueue({ toolCalls: [{ id: 'd', name: 'dir_weather', arguments: '{}' }] }, { text: 'Clear.' });
    const response = await api.post('/v1/responses', { input: 'Weather?', tools: ['dir_weather'] });
    expect(response.body.status).toBe('completed');
    expect(response.body.output[1]).toMatchObject({
      type: 'function_call_output',
      output: '{"sky":"clear"}',
    });
  });
});
