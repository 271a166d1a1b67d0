import { openaiOptions } from '@agentd/test-server';
import type { ApiClient } from '@agentd/testing';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { toolServerSuite } from './support/tool-server-suite.js';

const PRICES = { 'fake-model': { input: 1000, output: 2000 }, 'other-model': { input: 0, output: 500 } };

describe('GET /v1/usage: tokens, cost, runs and tool calls for dashboards', () => {
  const tools = toolServerSuite({ add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }) });
  const suite = fakeModelSuite({ backend: 'pglite', env: { AGENTD_MODEL_PRICES: JSON.stringify(PRICES) } });
  let platform: ApiClient;
  let tenantId: string;
  let api: ApiClient;
  let openai: OpenAI;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    platform = suite.api;
    const created = await platform.post('/v1/tenants', { name: 'dashboards' });
    tenantId = created.body.id;
    api = platform.withKey(created.body.api_key.value);
    openai = new OpenAI({
      ...openaiOptions(suite.agentd),
      apiKey: created.body.api_key.value,
      maxRetries: 0,
    });
    const agent = await api.post('/v1/agents', {
      name: 'adder',
      instructions: 'Add.',
      model: 'fake-model',
      tools: [
        {
          type: 'function',
          name: 'add',
          parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
          endpoint: { url: `${tools.server.url}/add` },
        },
      ],
    });
    expect(agent.status).toBe(200);

    // alice: the agent, one tool call, two model calls (10+5, 20+8 tokens).
    suite.fake.enqueue(
      {
        toolCalls: [{ id: 'c1', name: 'add', arguments: '{"a":1,"b":2}' }],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      },
      { text: '3', usage: { prompt_tokens: 20, completion_tokens: 8 } },
    );
    const run = await openai.responses.create({
      agent: 'adder',
      input: 'add 1 and 2',
      user: 'alice',
    } as never);
    expect(run.status).toBe('completed');
    // bob, through Chat Completions, on another model: 100+40 tokens.
    suite.fake.enqueue({ text: 'hi bob', usage: { prompt_tokens: 100, completion_tokens: 40 } });
    await openai.chat.completions.create({
      model: 'other-model',
      user: 'bob',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it("sums a tenant's usage by user and model, the numbers the model reported, priced by the table", async () => {
    const report = await api.get('/v1/usage?group_by=user,model');
    expect(report.status).toBe(200);
    expect(report.body.group_by).toEqual(['user', 'model']);
    expect(report.body.data).toEqual([
      {
        object: 'usage.bucket',
        user: 'alice',
        model: 'fake-model',
        input_tokens: 30,
        output_tokens: 13,
        total_tokens: 43,
        cost_usd: expect.closeTo((30 * 1000 + 13 * 2000) / 1e6, 9),
        runs: 1,
        model_calls: 2,
        tool_calls: 0,
      },
      // Tool calls carry no model.
      {
        object: 'usage.bucket',
        user: 'alice',
        model: null,
        input_tokens: 0,
        output_tokens: 0,
        total_tokens: 0,
        cost_usd: 0,
        runs: 1,
        model_calls: 0,
        tool_calls: 1,
      },
      {
        object: 'usage.bucket',
        user: 'bob',
        model: 'other-model',
        input_tokens: 100,
        output_tokens: 40,
        total_tokens: 140,
        cost_usd: expect.closeTo((40 * 500) / 1e6, 9),
        runs: 1,
        model_calls: 1,
        tool_calls: 0,
      },
    ]);
  });

  it('groups by agent and day, and by nothing for a total', async () => {
    const byAgent = await api.get('/v1/usage?group_by=agent,day');
    expect(
      byAgent.body.data.map((b: Record<string, unknown>) => [
        b.agent,
        b.day,
        b.total_tokens,
        b.runs,
        b.tool_calls,
      ]),
    ).toEqual([
      ['adder', today, 43, 1, 1],
      [null, today, 140, 1, 0],
    ]);
    const total = await api.get('/v1/usage?group_by=');
    expect(total.body.data).toEqual([
      expect.objectContaining({ total_tokens: 183, runs: 2, model_calls: 3, tool_calls: 1 }),
    ]);
    const byDefault = await api.get('/v1/usage');
    expect(byDefault.body.group_by).toEqual(['day']);
    expect(byDefault.body.data).toEqual([expect.objectContaining({ day: today, total_tokens: 183 })]);
  });

  it('reads only the time range asked for', async () => {
    const now = Math.floor(Date.now() / 1000);
    const past = await api.get(`/v1/usage?start_time=${now - 7200}&end_time=${now - 3600}`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ start_time: now - 7200, end_time: now - 3600, data: [] });
    const recent = await api.get(`/v1/usage?start_time=${now - 3600}&group_by=`);
    expect(recent.body.data[0].total_tokens).toBe(183);
  });

  it('names what is wrong with a bad query', async () => {
    const group = await api.get('/v1/usage?group_by=user,colour');
    expect(group.status).toBe(400);
    expect(group.body.error).toMatchObject({
      param: 'group_by',
      message: expect.stringContaining("'colour'"),
    });
    const range = await api.get('/v1/usage?start_time=200&end_time=100');
    expect(range.status).toBe(400);
    expect(range.body.error.param).toBe('start_time');
    const time = await api.get('/v1/usage?start_time=yesterday');
    expect(time.status).toBe(400);
    expect(time.body.error.param).toBe('start_time');
  });

  it("lets platform admins group every tenant's usage by tenant; a tenant admin reads only its own", async () => {
    const all = await platform.get('/v1/usage?group_by=tenant');
    expect(all.status).toBe(200);
    expect(all.body.data).toContainEqual(expect.objectContaining({ tenant: tenantId, total_tokens: 183 }));
    const one = await platform.get(`/v1/usage?group_by=tenant&tenant_id=${tenantId}`);
    expect(one.body.data).toEqual([expect.objectContaining({ tenant: tenantId, total_tokens: 183 })]);
    const own = await api.get('/v1/usage?group_by=tenant');
    expect(own.body.data).toEqual([expect.objectContaining({ tenant: tenantId })]);
    const other = await api.get('/v1/usage?tenant_id=tenant_other');
    expect(other.status).toBe(403);
    const member = await api.post('/v1/api_keys', { name: 'member', role: 'member' });
    expect((await api.withKey(member.body.value).get('/v1/usage')).status).toBe(403);
  });
});
