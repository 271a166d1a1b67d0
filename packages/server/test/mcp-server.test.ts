import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type McpHttpServer, startMcpHttpServer } from './support/mcp-http-server.js';

const RESPONSE_ID = 'agentd/response_id';

describe('agentd as an MCP server (/mcp)', () => {
  let agentd: AgentdWithFakeModel;
  let upstream: McpHttpServer;
  let admin: ApiClient;
  let tenantBKey: string;
  const clients: Client[] = [];

  /** An MCP client of agentd's /mcp holding `key`, as Claude Desktop or any MCP client would connect. */
  async function connect(key: string): Promise<Client> {
    const client = new Client({ name: 'mcp-test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${agentd.server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  async function keyWithScopes(scopes: string[]): Promise<string> {
    const created = await admin.post('/v1/api_keys', {
      name: `mcp ${scopes.join(' ')}`,
      role: 'member',
      scopes,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return created.body.value as string;
  }

  beforeAll(async () => {
    upstream = await startMcpHttpServer((server) => {
      server.registerTool(
        'echo',
        { description: 'Says the text back', inputSchema: { text: z.string() } },
        async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }),
      );
    });
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    admin = agentd.api;
    const tool = await admin.post('/v1/tools', {
      name: 'echo_server',
      adapter: { type: 'mcp', transport: 'http', url: upstream.url },
    });
    expect(tool.status, JSON.stringify(tool.body)).toBe(200);
    const helper = await admin.post('/v1/agents', {
      name: 'helper',
      description: 'Answers questions about mountains',
      instructions: 'Be brief.',
      tools: ['echo_server'],
    });
    expect(helper.status, JSON.stringify(helper.body)).toBe(200);
    const tenantB = await admin.post('/v1/tenants', { name: 'mcp-tenant-b' });
    expect(tenantB.status).toBe(200);
    tenantBKey = tenantB.body.api_key.value;
    const secret = await admin
      .withKey(tenantBKey)
      .post('/v1/agents', { name: 'b-only-agent', description: "Tenant B's agent" });
    expect(secret.status, JSON.stringify(secret.body)).toBe(200);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await agentd?.close();
    await upstream?.close();
  });
  beforeEach(() => agentd.fake.reset());

  it("lists the tenant's agents as tools, with their description and a message as input", async () => {
    const client = await connect(agentd.server.adminKey);
    expect(client.getServerVersion()?.name).toBe('agentd');
    const { tools } = await client.listTools();
    const helper = tools.find((tool) => tool.name === 'helper');
    expect(helper).toMatchObject({
      description: 'Answers questions about mountains',
      inputSchema: { type: 'object', required: ['input'], properties: { input: { type: 'string' } } },
    });
    expect(Object.keys(helper?.inputSchema.properties ?? {})).toEqual([
      'input',
      'conversation',
      'previous_response_id',
    ]);
    expect(tools.map((tool) => tool.name)).not.toContain('b-only-agent');
  });

  it("runs an agent when called and returns its answer, with the run's steps as progress", async () => {
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'call_echo', name: 'echo', arguments: '{"text":"3776"}' }] },
      { text: 'Mount Fuji is 3776 m tall.' },
    );
    const client = await connect(agentd.server.adminKey);
    const progress: Progress[] = [];
    const result = await client.callTool(
      { name: 'helper', arguments: { input: 'How tall is Mount Fuji?' } },
      undefined,
      { onprogress: (update) => void progress.push(update) },
    );
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'Mount Fuji is 3776 m tall.' }]);
    const id = result._meta?.[RESPONSE_ID] as string;
    expect(id).toMatch(/^resp_/);
    const messages = progress.map((update) => update.message);
    expect(messages).toEqual([
      `Run ${id} created.`,
      'Model call 1 (fake-model).',
      'Calling echo.',
      expect.stringMatching(/^echo: completed in \d+ ms\.$/),
      'Model call 2 (fake-model).',
    ]);
    expect(progress.map((update) => update.progress)).toEqual([1, 2, 3, 4, 5]);

    // The same run POST /v1/responses makes: stored, the agent's, the user's message as input.
    const stored = await admin.get(`/v1/responses/${id}`);
    expect(stored.body).toMatchObject({ status: 'completed', agent: { name: 'helper' } });
    const input = await admin.get(`/v1/responses/${id}/input_items`);
    expect(JSON.stringify(input.body.data)).toContain('How tall is Mount Fuji?');
    // The model was asked with the agent's instructions and its tool.
    const request = agentd.fake.requests.at(0)?.body as { messages: { role: string; content: unknown }[] };
    expect(JSON.stringify(request.messages[0])).toContain('Be brief.');
  });

  it('continues from an earlier answer with previous_response_id', async () => {
    agentd.fake.enqueue({ text: 'first' }, { text: 'second' });
    const client = await connect(agentd.server.adminKey);
    const first = await client.callTool({ name: 'helper', arguments: { input: 'one' } });
    const second = await client.callTool({
      name: 'helper',
      arguments: { input: 'two', previous_response_id: first._meta?.[RESPONSE_ID] },
    });
    expect(second.content).toEqual([{ type: 'text', text: 'second' }]);
    expect(JSON.stringify(agentd.fake.requests.at(1)?.body)).toContain('first');
  });

  it('cancels the run when the client cancels the call: the run ends cancelled', async () => {
    agentd.fake.enqueue({ hang: true });
    const client = await connect(agentd.server.adminKey);
    const cancel = new AbortController();
    let id: string | undefined;
    const call = client.callTool({ name: 'helper', arguments: { input: 'think forever' } }, undefined, {
      signal: cancel.signal,
      onprogress: (update) => {
        id ??= /Run (resp_\w+) created/.exec(update.message ?? '')?.[1];
        // The model call started: the run is mid-step when the client gives up.
        if (update.message?.startsWith('Model call 1')) cancel.abort('the user pressed stop');
      },
    });
    await expect(call).rejects.toThrow(/stop/);
    expect(id).toMatch(/^resp_/);
    // The stream of the run's events ends with its end: a cancelled run.
    const events = await admin.stream(`/v1/responses/${id}?stream=true`, undefined, {
      headers: { 'agentd-events': 'all' },
    });
    expect(events.at(-1)?.event).toBe('response.cancelled');
    const stored = await admin.get(`/v1/responses/${id}`);
    expect(stored.body.status).toBe('cancelled');
  });

  it('cancels the run when the HTTP request carrying the call closes', async () => {
    agentd.fake.enqueue({ hang: true });
    const headers = {
      authorization: `Bearer ${agentd.server.adminKey}`,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
    };
    const post = (body: unknown, extra: Record<string, string> = {}, signal?: AbortSignal) =>
      fetch(`${agentd.server.url}/mcp`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
    const opened = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect(opened.status).toBe(200);
    await opened.text();
    const session = {
      'mcp-session-id': opened.headers.get('mcp-session-id')!,
      'mcp-protocol-version': '2025-06-18',
    };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status).toBe(202);

    const hangUp = new AbortController();
    const call = await post(
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'helper', arguments: { input: 'wait' }, _meta: { progressToken: 'p1' } },
      },
      session,
      hangUp.signal,
    );
    expect(call.headers.get('content-type')).toContain('text/event-stream');
    // Read the stream until the model call starts, then go away without a word.
    const reader = call.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('Model call 1')) {
      const { value, done } = await reader.read();
      expect(done).toBe(false);
      text += value;
    }
    const id = /Run (resp_\w+) created/.exec(text)?.[1];
    expect(id).toMatch(/^resp_/);
    hangUp.abort();
    await reader.cancel().catch(() => undefined);

    const events = await admin.stream(`/v1/responses/${id}?stream=true`, undefined, {
      headers: { 'agentd-events': 'all' },
    });
    expect(events.at(-1)?.event).toBe('response.cancelled');
    expect((await admin.get(`/v1/responses/${id}`)).body.status).toBe('cancelled');
  });

  it('answers 401 without a credential, and with a wrong one', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const bare = await admin.withKey(undefined).post('/mcp', initialize, {
      headers: { accept: 'application/json, text/event-stream' },
    });
    expect(bare.status).toBe(401);
    expect(bare.body.error).toMatchObject({ code: 'invalid_api_key' });
    await expect(connect('sk-agentd-not-a-key')).rejects.toMatchObject({
      code: 401,
      message: expect.stringContaining('invalid_api_key'),
    });
  });

  it('keeps each tenant to its own agents, and its own sessions', async () => {
    agentd.fake.enqueue({ text: 'B answers' });
    const b = await connect(tenantBKey);
    const names = (await b.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('b-only-agent');
    expect(names).not.toContain('helper');
    expect(names).not.toContain('echo');
    const foreign = await b.callTool({ name: 'helper', arguments: { input: 'hi' } });
    expect(foreign).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: "No agent or tool named 'helper' in your tenant." }],
    });
    const own = await b.callTool({ name: 'b-only-agent', arguments: { input: 'hi' } });
    expect(own.content).toEqual([{ type: 'text', text: 'B answers' }]);

    // Tenant A's session id is unknown to tenant B's key.
    const a = await connect(agentd.server.adminKey);
    const sessionId = (a.transport as StreamableHTTPClientTransport).sessionId;
    expect(sessionId).toBeTruthy();
    const hijack = await admin.withKey(tenantBKey).post(
      '/mcp',
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      {
        headers: {
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId!,
          'mcp-protocol-version': '2025-06-18',
        },
      },
    );
    expect(hijack.status).toBe(404);
    expect(hijack.body.error).toMatchObject({ code: 'mcp_session_not_found' });
  });

  it('lists and calls registered tools only when the key allows it', async () => {
    const full = await connect(agentd.server.adminKey);
    const echo = (await full.listTools()).tools.find((tool) => tool.name === 'echo');
    expect(echo).toMatchObject({ description: 'Says the text back', inputSchema: { type: 'object' } });
    const echoed = await full.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'echo: hi' }]);
    const invalid = await full.callTool({ name: 'echo', arguments: { text: 5 } });
    expect(invalid).toMatchObject({ isError: true });
    expect(JSON.stringify(invalid.content)).toContain('Invalid arguments for echo');

    // Agents only: no tools listed, none callable.
    const agentsOnly = await connect(await keyWithScopes(['mcp:read', 'agents:read', 'responses:write']));
    const names = (await agentsOnly.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('helper');
    expect(names).not.toContain('echo');
    expect(await agentsOnly.callTool({ name: 'echo', arguments: { text: 'hi' } })).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: "No agent or tool named 'echo' in your tenant." }],
    });

    // tools:read lists them; calling one needs tools:write.
    const readOnly = await connect(await keyWithScopes(['mcp:read', 'tools:read']));
    expect((await readOnly.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    const refused = await readOnly.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(refused).toMatchObject({ isError: true });
    expect(JSON.stringify(refused.content)).toContain("needs the 'tools:write' permission");

    // The tenant's policies are asked before a call, as they are for a run's.
    const policy = await admin.post('/v1/policies', {
      name: 'no-echo',
      policy: 'forbid (principal, action == Agentd::Action::"call_tool", resource == Agentd::Tool::"echo");',
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    try {
      const forbidden = await full.callTool({ name: 'echo', arguments: { text: 'hi' } });
      expect(forbidden).toMatchObject({ isError: true });
      expect(JSON.stringify(forbidden.content)).toContain('The call of echo was denied by policy');
    } finally {
      expect((await admin.delete(`/v1/policies/${policy.body.id}`)).status).toBe(200);
    }
  });

  it('is in the OpenAPI document with its permission', async () => {
    const doc = await admin.get('/openapi.json');
    for (const method of ['post', 'get', 'delete']) {
      expect(doc.body.paths['/mcp'][method]['x-agentd-permission'], method).toBe('mcp:read');
    }
  });

  it('refuses a key without the mcp:read scope with 403', async () => {
    await expect(connect(await keyWithScopes(['agents:read', 'responses:write']))).rejects.toMatchObject({
      code: 403,
      message: expect.stringContaining("needs the 'mcp:read' permission"),
    });
  });

  it('says what was wrong with a call as a tool error', async () => {
    const client = await connect(agentd.server.adminKey);
    const missing = await client.callTool({ name: 'helper', arguments: {} });
    expect(missing).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: "'input' must be a non-empty string. (input)" }],
    });
    const unknown = await client.callTool({
      name: 'helper',
      arguments: { input: 'x', previous_response_id: 'resp_nonexistent' },
    });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('resp_nonexistent');
  });
});
