import { type AgentdWithFakeModel, openaiOptions, startAgentdWithFakeModel } from '@agentd/test-server';
import { type ApiClient, startToolServer, type ToolServer } from '@agentd/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const addCall = (id: string) => ({ id, name: 'add', arguments: '{"a":1,"b":2}' });

describe('tool rate limits and daily quotas, through the tool-call gate', () => {
  let agentd: AgentdWithFakeModel;
  let platform: ApiClient;
  let tools: ToolServer;

  beforeAll(async () => {
    tools = await startToolServer({ add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }) });
    agentd = await startAgentdWithFakeModel({ backend: 'pglite' });
    platform = agentd.api;
  });
  afterAll(async () => {
    await agentd?.close();
    await tools?.close();
  });

  async function tenantWith(name: string, limits: unknown) {
    const created = await platform.post('/v1/tenants', { name });
    const set = await platform.request('PUT', `/v1/tenants/${created.body.id}/limits`, limits);
    expect(set.status).toBe(200);
    const key = created.body.api_key.value as string;
    return {
      openai: new OpenAI({ ...openaiOptions(agentd), apiKey: key, maxRetries: 0 }),
      api: platform.withKey(key),
    };
  }

  const addTool = () => ({
    type: 'function' as const,
    name: 'add',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    strict: false,
    endpoint: { url: `${tools.url}/add` },
  });

  /** What the model was sent as the result of each call, by call id. */
  const toolResults = (from: number) =>
    Object.fromEntries(
      agentd.fake.requests
        .slice(from)
        .flatMap(
          (request) =>
            (request.body?.messages ?? []) as { role: string; tool_call_id?: string; content?: string }[],
        )
        .filter((message) => message.role === 'tool')
        .map((message) => [message.tool_call_id, message.content]),
    );

  it('denies the call past a daily per-user quota: it never runs and the model reads why', async () => {
    const { openai, api } = await tenantWith('quota-tenant', {
      tool_quotas: [{ tool: 'add', per: 'user', calls_per_day: 2 }],
    });
    const before = tools.calls.length;
    const from = agentd.fake.requests.length;
    agentd.fake.enqueue(
      { toolCalls: [addCall('c1')] },
      { toolCalls: [addCall('c2')] },
      { toolCalls: [addCall('c3')] },
      { text: 'I could add twice.' },
    );
    const response = await openai.responses.create({
      model: 'fake-model',
      input: 'add three times',
      user: 'alice',
      tools: [addTool() as never],
    });
    expect(response.error).toBeNull();
    expect(response.status).toBe('completed');
    expect(tools.calls.length - before).toBe(2);
    const results = toolResults(from);
    expect(results.c1).toContain('"sum":3');
    expect(results.c2).toContain('"sum":3');
    expect(results.c3).toMatch(
      /Error: the call to add was not run: the daily quota of 2 calls of add per user is used up\. It may succeed after \d+ s\./,
    );
    const events = await api.get(`/v1/responses/${response.id}/events`);
    expect(events.status).toBe(200);
    const denied = (events.body.data as { type: string }[]).filter(
      (event) => event.type === 'response.tool_call.denied',
    );
    expect(denied).toEqual([expect.objectContaining({ call_id: 'c3', name: 'add', by: 'quota' })]);

    // Another user of the tenant has a quota of their own.
    agentd.fake.enqueue({ toolCalls: [addCall('c4')] }, { text: 'done' });
    await openai.responses.create({
      model: 'fake-model',
      input: 'add once',
      user: 'bob',
      tools: [addTool() as never],
    });
    expect(tools.calls.length - before).toBe(3);
  });

  it("denies a call past the tenant's tool rate limit and tells the model when to retry", async () => {
    const { openai } = await tenantWith('tool-rate-tenant', {
      rate_limits: { tool: { requests: 1, per_seconds: 600 } },
    });
    const before = tools.calls.length;
    const from = agentd.fake.requests.length;
    agentd.fake.enqueue({ toolCalls: [addCall('r1')] }, { toolCalls: [addCall('r2')] }, { text: 'ok' });
    const response = await openai.responses.create({
      model: 'fake-model',
      input: 'add twice',
      tools: [addTool() as never],
    });
    expect(response.error).toBeNull();
    expect(response.status).toBe('completed');
    expect(tools.calls.length - before).toBe(1);
    const results = toolResults(from);
    expect(results.r2).toMatch(
      /Error: the call to add was not run: the tenant's rate limit for add \(1 calls per 600 s\) is reached\. It may succeed after \d+ s\./,
    );
    const retry = Number(/after (\d+) s/.exec(results.r2 ?? '')?.[1]);
    expect(retry).toBeGreaterThan(590);
    expect(retry).toBeLessThanOrEqual(600);
  });
});
