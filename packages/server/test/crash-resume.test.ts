/**
 * Crash resume, end to end: a server stops while three runs are in flight (a
 * tool that is not idempotent, an idempotent one, a model turn half
 * streamed); a new server on the same storage resumes them at start, as it
 * resumes whatever a stopped or killed process left in progress. What an
 * OpenAI client sees is checked with the official client's stream helper.
 */

import { type Agentd, BACKENDS, openaiOptions, startAgentd } from '@agentd/test-server';
import {
  type FakeOpenAI,
  type FakeRequest,
  type FakeTurn,
  startFakeOpenAI,
  startToolServer,
  type ToolServer,
} from '@agentd/testing';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal } from './support/signal.js';

const INTERRUPTED = 'interrupted by a worker failure';
const amountInput = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] };
const placeInput = { type: 'object', properties: { place: { type: 'string' } }, required: ['place'] };

/** The last user message and the tool results of a chat request. */
function readRequest(request: FakeRequest) {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content ?? ''));
  return {
    user: text(messages.filter((message) => message.role === 'user').at(-1)?.content),
    toolResults: messages
      .filter((message) => message.role === 'tool')
      .map((message) => text(message.content)),
    assistantTexts: messages
      .filter((message) => message.role === 'assistant')
      .map((message) => text(message.content)),
  };
}

describe.each(BACKENDS)(
  'runs resumed by a new server after the old one stopped mid-run, on %s',
  (backend) => {
    let fake: FakeOpenAI;
    let tools: ToolServer;
    let first: Agentd | undefined;
    let second: Agentd | undefined;
    const charging = signal();
    const lookingUp = signal();
    const stuck = new Promise<never>(() => undefined);
    let lookups = 0;
    let drafts = 0;

    beforeAll(async () => {
      tools = await startToolServer({
        charge: async () => {
          charging.resolve();
          return stuck;
        },
        lookup: async () => {
          lookups++;
          if (lookups === 1) {
            lookingUp.resolve();
            return stuck;
          }
          return { tide: 'noon' };
        },
      });
      fake = await startFakeOpenAI();
      fake.setHandler((request): FakeTurn => {
        const { user, toolResults } = readRequest(request);
        if (user.includes('Charge')) {
          return toolResults.length === 0
            ? { toolCalls: [{ id: 'call_charge', name: 'charge', arguments: '{"amount":5}' }] }
            : { text: 'The charge may or may not have gone through; please check before I try again.' };
        }
        if (user.includes('tide')) {
          return toolResults.length === 0
            ? { toolCalls: [{ id: 'call_tide', name: 'lookup', arguments: '{"place":"Brest"}' }] }
            : { text: 'High tide is at noon.' };
        }
        drafts++;
        // The first answer streams two pieces, then stalls: its worker stops mid-turn.
        return drafts === 1
          ? { chunks: ['The first ', 'draft '], hangAfterChunks: 3 }
          : { text: 'Forty-two.' };
      });
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
      await fake?.close();
      await tools?.close();
    });

    it('runs again only the idempotent call, fails the other with the reason, and asks the model again', {
      timeout: 120_000,
    }, async () => {
      const env = {
        OPENAI_BASE_URL: fake.baseURL,
        OPENAI_API_KEY: 'sk-fake',
        AGENTD_DEFAULT_MODEL: 'fake-model',
      };
      first = await startAgentd({ backend, env });
      // The built-in reads are idempotent; code and the browser's session are not.
      const listed = (await first.api.get('/v1/tools?limit=100')).body.data as {
        id: string;
        manifest: { idempotent?: boolean };
      }[];
      const builtins = Object.fromEntries(
        listed.flatMap((tool) =>
          tool.id.startsWith('builtin:')
            ? [[tool.id.slice('builtin:'.length), tool.manifest.idempotent]]
            : [],
        ),
      );
      expect(builtins).toMatchObject({ code_interpreter: false, fetch_url: true, web_search: true });
      expect(builtins.browser ?? false).toBe(false);
      for (const manifest of [
        { name: 'charge', input_schema: amountInput, adapter: { type: 'http', url: `${tools.url}/charge` } },
        {
          name: 'lookup',
          input_schema: placeInput,
          adapter: { type: 'http', url: `${tools.url}/lookup` },
          idempotent: true,
        },
      ]) {
        expect((await first.api.post('/v1/tools', manifest)).status).toBe(200);
      }
      const before = new OpenAI(openaiOptions(first));
      const charge = await before.responses.create({
        model: 'fake-model',
        input: 'Charge 5 EUR',
        tools: ['charge'] as never,
        background: true,
      });
      const tide = await before.responses.create({
        model: 'fake-model',
        input: 'When is high tide?',
        tools: ['lookup'] as never,
        background: true,
      });
      // A client streaming the third run sees its answer begin.
      let answerId = '';
      let seen = '';
      let lastSeen = 0;
      const live = await before.responses.create({
        model: 'fake-model',
        input: 'Six times seven?',
        stream: true,
      });
      for await (const event of live) {
        lastSeen = event.sequence_number;
        if (event.type === 'response.created') answerId = event.response.id;
        if (event.type === 'response.output_text.delta') seen += event.delta;
        if (seen === 'The first draft ') break;
      }
      await Promise.all([charging.promise, lookingUp.promise]);

      // The server stops with all three in flight; the next one resumes them at start.
      await first.server.stop();
      second = await startAgentd({
        backend,
        env,
        reuse: { dataDir: first.server.dataDir, database: first.server.database },
      });
      const after = new OpenAI(openaiOptions(second));
      const replay = async (id: string, startingAfter?: number) => {
        const stream = after.responses.stream({
          response_id: id,
          ...(startingAfter === undefined ? {} : { starting_after: startingAfter }),
        });
        const events: ResponseStreamEvent[] = [];
        for await (const event of stream) events.push(event);
        return { events, final: await stream.finalResponse() };
      };

      // Not idempotent: not run again; its call fails with the reason, and the model reads it.
      const charged = await replay(charge.id);
      expect(charged.final.status).toBe('completed');
      expect(tools.calls.filter((call) => call.path === '/charge')).toHaveLength(1);
      expect(charged.final.output.map((item) => item.type)).toEqual([
        'function_call',
        'function_call_output',
        'message',
      ]);
      const failed = charged.final.output[1] as { call_id: string; output: string };
      expect(failed.call_id).toBe('call_charge');
      expect(failed.output).toContain(INTERRUPTED);
      expect(charged.final.output_text).toContain('may or may not have gone through');
      const toModel = fake.requests.map(readRequest).filter((request) => request.user.includes('Charge'));
      // What the model read of it: the same text, marked as the tool's data (spotlighting).
      expect(toModel.at(-1)?.toolResults).toEqual([
        expect.stringContaining(`>>>\n${failed.output}\n<<<end-untrusted-data`),
      ]);

      // Idempotent: run again, once, and its result is the one the model reads.
      const tided = await replay(tide.id);
      expect(tided.final.status).toBe('completed');
      expect(lookups).toBe(2);
      expect(tided.final.output[1]).toMatchObject({ type: 'function_call_output', call_id: 'call_tide' });
      expect((tided.final.output[1] as { output: string }).output).toContain('noon');
      expect(tided.final.output_text).toBe('High tide is at noon.');

      // The model turn in flight is asked again: the partial answer is superseded, not the answer.
      const answered = await replay(answerId);
      expect(answered.final.status).toBe('completed');
      expect(answered.final.output_text).toBe('Forty-two.');
      const draft = answered.final.output[0] as unknown as Record<string, unknown>;
      expect(draft).toMatchObject({
        type: 'message',
        status: 'incomplete',
        superseded: true,
        content: [{ type: 'output_text', text: '' }],
      });
      const draftDeltas = answered.events.flatMap((event) =>
        event.type === 'response.output_text.delta' && event.item_id === draft.id ? [event.delta] : [],
      );
      expect(draftDeltas.join('')).toBe('The first draft ');
      const closed = answered.events.find(
        (event) => event.type === 'response.output_item.done' && event.item.id === draft.id,
      );
      expect(closed).toMatchObject({ item: { status: 'incomplete', superseded: true } });
      const asked = fake.requests.map(readRequest).filter((request) => request.user.includes('Six'));
      expect(asked).toHaveLength(2);
      expect(asked[1]!.assistantTexts.join('')).not.toContain('draft');
      // The client that was cut off resumes after the last event it saw and gets the rest.
      const rest = await replay(answerId, lastSeen);
      expect(rest.events[0]!.sequence_number).toBeGreaterThan(lastSeen);
      expect(rest.events.map((event) => event.type)).toContain('response.output_item.done');
      expect(rest.final.output_text).toBe('Forty-two.');
      const stored = await after.responses.retrieve(answerId);
      expect(stored.output_text).toBe('Forty-two.');
    });
  },
);
