import { openaiOptions } from '@agentd/test-server';
import OpenAI, { RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { toolServerSuite } from './support/tool-server-suite.js';

/** 30 input and 20 output tokens a call: 50 tokens, $0.07 at the test's prices. */
const USAGE = { prompt_tokens: 30, completion_tokens: 20 };
const PRICES = { 'fake-model': { input: 1000, output: 2000 } };

describe('token and cost budgets, counted across the Responses and Chat Completions APIs', () => {
  const tools = toolServerSuite({ add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }) });
  const suite = fakeModelSuite({ backend: 'pglite', env: { AGENTD_MODEL_PRICES: JSON.stringify(PRICES) } });

  async function tenantWith(name: string, limits: unknown): Promise<OpenAI> {
    const created = await suite.api.post('/v1/tenants', { name });
    const set = await suite.api.request('PUT', `/v1/tenants/${created.body.id}/limits`, limits);
    expect(set.status).toBe(200);
    return new OpenAI({ ...openaiOptions(suite.agentd), apiKey: created.body.api_key.value, maxRetries: 0 });
  }

  const modelRequests = () => suite.fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

  it("refuses a tenant's model requests with a 429 naming the budget once both APIs spent it", async () => {
    const openai = await tenantWith('token-budget', { budgets: { tenant: { tokens: 100 } } });
    suite.fake.enqueue({ text: 'from responses', usage: USAGE }, { text: 'from chat', usage: USAGE });

    const first = await openai.responses.create({ model: 'fake-model', input: 'hello' }).withResponse();
    expect(first.data.usage?.total_tokens).toBe(50);
    expect(first.response.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    expect(first.response.headers.get('x-ratelimit-remaining-tokens')).toBe('100');
    const chat = await openai.chat.completions
      .create({ model: 'fake-model', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(chat.data.choices[0]?.message.content).toBe('from chat');
    expect(chat.response.headers.get('x-ratelimit-remaining-tokens')).toBe('50');

    const asked = modelRequests();
    for (const refused of [
      openai.responses.create({ model: 'fake-model', input: 'more' }),
      openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'more' }] }),
    ]) {
      const error = await refused.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(RateLimitError);
      const limited = error as RateLimitError;
      expect(limited.code).toBe('budget_exceeded');
      expect(limited.message).toMatch(
        /Request refused: the tenant's token budget \(100 tokens per day\) is spent: 100 used\. It renews at \d{4}-\d\d-\d\dT00:00:00\.000Z\./,
      );
      expect(limited.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(modelRequests()).toBe(asked);
  });

  it('ends a run incomplete, naming the budget, before the model call past its own budget', async () => {
    const openai = await tenantWith('run-budget', { budgets: { run: { tokens: 60 } } });
    const add = { id: 'a1', name: 'add', arguments: '{"a":1,"b":2}' };
    suite.fake.enqueue(
      { toolCalls: [add], usage: USAGE },
      { toolCalls: [{ ...add, id: 'a2' }], usage: USAGE },
      { text: 'never asked', usage: USAGE },
    );
    const asked = modelRequests();
    const response = await openai.responses.create({
      model: 'fake-model',
      input: 'add, and add again',
      tools: [
        {
          type: 'function',
          name: 'add',
          parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
          strict: false,
          endpoint: { url: `${tools.server.url}/add` },
        } as never,
      ],
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({
      reason: 'budget_exceeded',
      message: "the run's token budget (60 tokens per run) is spent: 100 used",
    });
    expect(response.usage?.total_tokens).toBe(100);
    expect(modelRequests() - asked).toBe(2);
  });

  it("stops a user's runs once their cost budget is spent; other users run on", async () => {
    const openai = await tenantWith('user-budget', { budgets: { user: { cost_usd: 0.1 } } });
    suite.fake.setHandler(() => ({ text: 'answer', usage: USAGE }));
    const ask = (user: string) => openai.responses.create({ model: 'fake-model', input: 'hi', user });
    expect((await ask('alice')).status).toBe('completed');
    expect((await ask('alice')).status).toBe('completed');
    const stopped = await ask('alice');
    expect(stopped.status).toBe('incomplete');
    expect(stopped.incomplete_details).toEqual({
      reason: 'budget_exceeded',
      message: "the user's cost budget ($0.10 per day) is spent: $0.1400 used",
    });
    expect(stopped.output).toEqual([]);
    expect((await ask('bob')).status).toBe('completed');
    // Chat Completions counts against the same user (its `user` field).
    const chat = await openai.chat.completions.create({
      model: 'fake-model',
      user: 'alice',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.choices[0]?.finish_reason).toBe('length');
    expect(chat.choices[0]?.message.content ?? '').toBe('');
  });
});
