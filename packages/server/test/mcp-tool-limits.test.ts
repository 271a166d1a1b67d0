/**
 * Registered tools called directly over /mcp, under the tenant's per-tool
 * rate limit and daily quotas as a run's calls are, with the official MCP
 * client; a call resolves only the tool set that offers the named tool.
 */

import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const text = (result: Awaited<ReturnType<Client['callTool']>>) =>
  (result.content as { type: string; text: string }[]).map((part) => part.text).join('');

describe('registered tools over /mcp: rate limits and quotas', () => {
  let agentd: AgentdWithFakeModel;
  let tools: ToolServer;
  const clients: Client[] = [];

  async function connect(key: string): Promise<Client> {
    const client = new Client({ name: 'mcp-limits-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${agentd.server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  /** A tenant with these limits and the `add` and `mul` tools registered; its admin key. */
  async function tenantWith(name: string, limits: unknown): Promise<string> {
    const created = await agentd.api.post('/v1/tenants', { name });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const set = await agentd.api.request('PUT', `/v1/tenants/${created.body.id}/limits`, limits);
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const key = created.body.api_key.value as string;
    const api = agentd.api.withKey(key);
    for (const tool of ['add', 'mul']) {
      const registered = await api.post('/v1/tools', {
        name: tool,
        input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
        adapter: { type: 'http', url: `${tools.url}/${tool}` },
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    }
    return key;
  }

  beforeAll(async () => {
    tools = await startToolServer({
      add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }),
      mul: (body: { a: number; b: number }) => ({ product: body.a * body.b }),
    });
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
  }, 300_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await agentd?.close();
    await tools?.close();
  });

  it("refuses a call past the tool's daily quota, says why, and the tool is not called", async () => {
    const key = await tenantWith('mcp-quota-tenant', {
      tool_quotas: [{ tool: 'add', per: 'user', calls_per_day: 2 }],
    });
    const client = await connect(key);
    const before = tools.calls.length;
    for (let i = 0; i < 2; i++) {
      const result = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
      expect(result.isError, text(result)).toBeFalsy();
      expect(text(result)).toContain('"sum":3');
    }
    const refused = await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(
      /^The call of add was not run: the daily quota of 2 calls of add per user is used up\. Retry after \d+ s\.$/,
    );
    expect(tools.calls.length - before).toBe(2);
    // Another tool of the tenant has no quota.
    expect((await client.callTool({ name: 'mul', arguments: { a: 2, b: 3 } })).isError).toBeFalsy();

    // The calls count in the tenant's usage, as a run's tool calls do.
    const usage = await agentd.api.withKey(key).get('/v1/usage');
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    const counted = (usage.body.data as { tool_calls: number }[]).reduce((sum, b) => sum + b.tool_calls, 0);
    expect(counted).toBe(3);
  });

  it("refuses a call past the tenant's tool rate limit", async () => {
    const key = await tenantWith('mcp-rate-tenant', {
      rate_limits: { tool: { requests: 1, per_seconds: 600 } },
    });
    const client = await connect(key);
    expect((await client.callTool({ name: 'mul', arguments: { a: 2, b: 3 } })).isError).toBeFalsy();
    const refused = await client.callTool({ name: 'mul', arguments: { a: 2, b: 3 } });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(
      /rate limit for mul \(1 calls per 600 s\) is reached\. Retry after \d+ s\.$/,
    );
  });

  it('resolves only the tool set that offers the tool called, not every tool of the tenant', async () => {
    const key = await tenantWith('mcp-resolve-tenant', {});
    const client = await connect(key);
    const service = agentd.server.server.services.tools;
    const resolve = service.resolve.bind(service);
    const asked: unknown[] = [];
    service.resolve = (tenantId, refs, param) => {
      asked.push(refs);
      return resolve(tenantId, refs, param);
    };
    try {
      const result = await client.callTool({ name: 'mul', arguments: { a: 6, b: 7 } });
      expect(text(result)).toContain('"product":42');
    } finally {
      service.resolve = resolve;
    }
    expect(asked).toEqual([['mul']]);
  });

  it("answers 404 to a session this process does not hold (another API process's, unless routed sticky), and a new session works", async () => {
    const key = await tenantWith('mcp-sticky-tenant', {});
    const client = await connect(key);
    const held = (client.transport as StreamableHTTPClientTransport).sessionId!;
    // What a request routed to the wrong API process looks like: an id this one never issued.
    const elsewhere =
      `${held.slice(0, -4)}0000` === held ? `${held.slice(0, -4)}1111` : `${held.slice(0, -4)}0000`;
    const lost = await fetch(`${agentd.server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': elsewhere,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(lost.status).toBe(404);
    expect(((await lost.json()) as { error: { code: string } }).error.code).toBe('mcp_session_not_found');
    // The client's way out: initialize again (the session it held still works where it lives).
    const again = await connect(key);
    expect((await again.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['add', 'mul']);
    expect((await client.listTools()).tools).toHaveLength(2);
  });
});
