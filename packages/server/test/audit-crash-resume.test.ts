/**
 * A tool call's one audit row is written when the call ends. A call in
 * flight when its server stops ends when a new server resumes the run:
 * failed (not idempotent, not run again) or run again (idempotent), and the
 * audit log records that end, with the call's arguments, once.
 */

import { type Agentd, BACKENDS, startAgentd } from '@agentd/test-server';
import {
  type FakeOpenAI,
  type FakeTurn,
  startFakeOpenAI,
  startToolServer,
  type ToolServer,
} from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal } from './support/signal.js';

const amountInput = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] };
const placeInput = { type: 'object', properties: { place: { type: 'string' } }, required: ['place'] };

interface AuditEvent {
  type: string;
  actor: { type: string };
  [key: string]: unknown;
}

describe.each(BACKENDS)('the audit of tool calls a stopped server left in flight, on %s', (backend) => {
  let fake: FakeOpenAI;
  let tools: ToolServer;
  let first: Agentd | undefined;
  let second: Agentd | undefined;
  const charging = signal();
  const lookingUp = signal();
  const stuck = new Promise<never>(() => undefined);
  let lookups = 0;

  beforeAll(async () => {
    tools = await startToolServer({
      charge: async () => {
        charging.resolve();
        return stuck;
      },
      lookup: async () => {
        lookups++;
        if (lookups > 1) return { tide: 'noon' };
        lookingUp.resolve();
        return stuck;
      },
    });
    fake = await startFakeOpenAI();
    fake.setHandler((request): FakeTurn => {
      const messages = request.body.messages as { role: string; content: unknown }[];
      const user = JSON.stringify(messages.filter((message) => message.role === 'user').at(-1)?.content);
      const answered = messages.some((message) => message.role === 'tool');
      if (user.includes('Charge')) {
        return answered
          ? { text: 'The charge may not have gone through.' }
          : { toolCalls: [{ id: 'call_charge', name: 'charge', arguments: '{"amount":5}' }] };
      }
      return answered
        ? { text: 'High tide is at noon.' }
        : { toolCalls: [{ id: 'call_tide', name: 'lookup', arguments: '{"place":"Brest"}' }] };
    });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await fake?.close();
    await tools?.close();
  });

  it('records the interrupted call failed and the idempotent one run again, each once, in a valid chain', {
    timeout: 120_000,
  }, async () => {
    const env = {
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: 'sk-fake',
      AGENTD_DEFAULT_MODEL: 'fake-model',
    };
    first = await startAgentd({ backend, env });
    const charge = {
      name: 'charge',
      input_schema: amountInput,
      adapter: { type: 'http', url: `${tools.url}/charge` },
    };
    const lookup = {
      name: 'lookup',
      input_schema: placeInput,
      adapter: { type: 'http', url: `${tools.url}/lookup` },
      idempotent: true,
    };
    for (const manifest of [charge, lookup])
      expect((await first.api.post('/v1/tools', manifest)).status).toBe(200);
    const start = async (input: string, tool: string) =>
      (await first!.api.post('/v1/responses', { input, tools: [tool], background: true })).body.id as string;
    const charged = await start('Charge 5 EUR', 'charge');
    const tided = await start('When is high tide?', 'lookup');
    await Promise.all([charging.promise, lookingUp.promise]);

    // Both calls are under way: nothing of them is in the audit log yet.
    const during = async (id: string) =>
      (
        (await first!.api.get(`/v1/audit_events?order=asc&resource_ids[]=${id}`)).body.data as AuditEvent[]
      ).map((event) => event.type);
    expect(await during(charged)).toEqual(['response.created']);
    expect(await during(tided)).toEqual(['response.created']);

    await first.server.stop();
    second = await startAgentd({
      backend,
      env,
      reuse: { dataDir: first.server.dataDir, database: first.server.database },
    });
    const api = second.api;
    const ended = async (id: string) => {
      for (let i = 0; i < 600; i++) {
        const response = (await api.get(`/v1/responses/${id}`)).body;
        if (response.status !== 'queued' && response.status !== 'in_progress') return response;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${id} did not end`);
    };
    expect((await ended(charged)).status).toBe('completed');
    expect((await ended(tided)).status).toBe('completed');

    const eventsOf = async (id: string) =>
      (await api.get(`/v1/audit_events?order=asc&resource_ids[]=${id}`)).body.data as AuditEvent[];
    const chargeEvents = await eventsOf(charged);
    expect(chargeEvents.map((event) => event.type)).toEqual([
      'response.created',
      'tool_call.completed',
      'response.completed',
    ]);
    expect(chargeEvents[1]!['tool_call.completed']).toMatchObject({
      call_id: 'call_charge',
      name: 'charge',
      arguments: { amount: 5 },
      status: 'failed',
    });
    expect(chargeEvents[1]!.actor.type).toBe('api_key');

    const tideEvents = await eventsOf(tided);
    expect(tideEvents.map((event) => event.type)).toEqual([
      'response.created',
      'tool_call.completed',
      'response.completed',
    ]);
    expect(tideEvents[1]!['tool_call.completed']).toMatchObject({
      call_id: 'call_tide',
      arguments: { place: 'Brest' },
      status: 'completed',
    });
    expect(lookups).toBe(2);

    const verified = await api.get('/v1/audit_events/verify');
    expect(verified.body).toMatchObject({ valid: true, broken: null });
  });
});
