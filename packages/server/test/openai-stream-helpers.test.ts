import {
  type AgentdWithFakeModel,
  BACKENDS,
  openaiOptions,
  startAgentdWithFakeModel,
  type TestServer,
} from '@agentd/test-server';
import {
  type ApiClient,
  type FakeOpenAI,
  readSse,
  type SseEvent,
  startToolServer,
  type ToolServer,
} from '@agentd/testing';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENTD_EVENT_TYPES, type OpenAIEventType } from '../src/responses/event-view.js';
import { consumeHelperStream, type HelperStream } from './support/helper-stream.js';
import { cityInput } from './support/http-tools.js';

// Compile-time: every event type the default stream carries is in the official client's union.
type NotOpenAI = Exclude<OpenAIEventType, ResponseStreamEvent['type']>;
const defaultStreamIsOpenAIs: [NotOpenAI] extends [never] ? true : NotOpenAI = true;

const AGENTD_ONLY = new Set<string>(AGENTD_EVENT_TYPES);
const addSchema = { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } };

/** The helper's events and final response, with the events' sequence numbers. */
async function consume(stream: HelperStream) {
  const seen = await consumeHelperStream(stream);
  return { ...seen, seqs: seen.events.map((event) => event.sequence_number) };
}

describe.each(BACKENDS)("the official client's stream helpers against agentd on %s", (backend) => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let tools: ToolServer;
  let server: TestServer;
  let api: ApiClient;
  let client: OpenAI;

  beforeAll(async () => {
    tools = await startToolServer({
      add: (body: { a: number; b: number }) => ({ sum: body.a + body.b }),
      wire: () => ({ sent: true }),
    });
    agentd = await startAgentdWithFakeModel({ backend });
    ({ fake, server, api } = agentd);
    client = new OpenAI(openaiOptions(agentd));
  });
  afterAll(async () => {
    await agentd?.close();
    await tools?.close();
  });
  beforeEach(() => fake.reset());

  it('streams a plain answer from the scripted model and from an OpenAI-compatible model', async () => {
    expect(defaultStreamIsOpenAIs).toBe(true);
    const scripted = await consume(client.responses.stream({ model: 'scripted', input: 'hello there' }));
    expect(scripted.final.status).toBe('completed');
    expect(scripted.final.output_text.length).toBeGreaterThan(0);
    expect(scripted.types[0]).toBe('response.created');
    expect(scripted.types.at(-1)).toBe('response.completed');
    expect(scripted.types.filter((type) => AGENTD_ONLY.has(type))).toEqual([]);
    const stored = await client.responses.retrieve(scripted.final.id);
    expect(stored.output_text).toBe(scripted.final.output_text);

    fake.enqueue({ text: 'Mount Fuji is 3776 metres tall.' });
    const stream = client.responses.stream({ model: 'fake-model', input: 'How tall is Mount Fuji?' });
    const snapshots: string[] = [];
    stream.on('response.output_text.delta', (event) => snapshots.push(event.snapshot));
    const answer = await consume(stream);
    expect(answer.final.output_text).toBe('Mount Fuji is 3776 metres tall.');
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots.at(-1)).toBe('Mount Fuji is 3776 metres tall.');
    expect(answer.types.filter((type) => AGENTD_ONLY.has(type))).toEqual([]);
  });

  it("streams a model's reasoning as OpenAI does: the reasoning_text part before its deltas", async () => {
    fake.enqueue({ reasoning: 'Think about the question first.', text: 'Forty-two.' });
    const { final, types } = await consume(client.responses.stream({ model: 'fake-model', input: 'Why?' }));
    expect(final.output_text).toBe('Forty-two.');
    expect(final.output[0]).toMatchObject({
      type: 'reasoning',
      content: [{ type: 'reasoning_text', text: 'Think about the question first.' }],
    });
    const part = types.indexOf('response.content_part.added');
    expect(part).toBeGreaterThan(-1);
    expect(part).toBeLessThan(types.indexOf('response.reasoning_text.delta'));
  });

  it('hands a client-side function call to the client and continues with its output', async () => {
    const tool = {
      type: 'function' as const,
      name: 'get_time',
      parameters: { type: 'object', properties: { tz: { type: 'string' } } },
      strict: false,
    };
    fake.enqueue(
      { toolCalls: [{ id: 'time1', name: 'get_time', arguments: '{"tz":"UTC"}' }] },
      { text: 'It is noon.' },
    );
    const first = await consume(
      client.responses.stream({ model: 'fake-model', input: 'Time?', tools: [tool] }),
    );
    expect(first.final.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: 'time1', arguments: '{"tz":"UTC"}' }),
    ]);
    expect(first.types).toContain('response.function_call_arguments.done');
    const second = await consume(
      client.responses.stream({
        model: 'fake-model',
        previous_response_id: first.final.id,
        tools: [tool],
        input: [{ type: 'function_call_output', call_id: 'time1', output: '12:00' }],
      }),
    );
    expect(second.final.output_text).toBe('It is noon.');
  });

  it('leaves out only agentd events, keeps the real sequence numbers, and resumes past the gaps', async () => {
    fake.enqueue(
      { toolCalls: [{ id: 'add1', name: 'add', arguments: '{"a":2,"b":3}' }] },
      { text: 'The sum is 5.' },
    );
    const addTool = {
      type: 'function' as const,
      name: 'add',
      parameters: addSchema,
      strict: false,
      endpoint: { url: `${tools.url}/add` },
    };
    const run = await consume(
      client.responses.stream({ model: 'fake-model', input: '2+3?', tools: [addTool] }),
    );
    expect(run.final.output_text).toBe('The sum is 5.');
    expect(run.final.output.map((item) => item.type)).toEqual([
      'function_call',
      'function_call_output',
      'message',
    ]);
    // The default stream is the event log without agentd's own events, each with its logged number.
    const log = (await api.get(`/v1/responses/${run.final.id}/events?limit=1000`)).body.data as {
      type: string;
      sequence_number: number;
    }[];
    expect(log.map((event) => event.sequence_number)).toEqual(log.map((_, index) => index + 1));
    const openai = log.filter((event) => !AGENTD_ONLY.has(event.type));
    expect(run.seqs).toEqual(openai.map((event) => event.sequence_number));
    expect(log.filter((event) => AGENTD_ONLY.has(event.type)).map((event) => event.type)).toEqual([
      'response.model_call.started',
      'response.model_call.completed',
      'response.tool_call.started',
      'response.tool_call.completed',
      'response.model_call.started',
      'response.model_call.completed',
    ]);

    // The helper resumes from a sequence number after a gap.
    const cut = run.seqs.find(
      (seq, index) => run.seqs[index + 1] !== undefined && run.seqs[index + 1]! > seq + 1,
    )!;
    expect(cut).toBeDefined();
    const resumed = await consume(
      client.responses.stream({ response_id: run.final.id, starting_after: cut }),
    );
    expect(resumed.seqs).toEqual(run.seqs.filter((seq) => seq > cut));
    expect(resumed.final.output_text).toBe('The sum is 5.');
    // So does a plain SSE client with Last-Event-ID: the ids are the real sequence numbers.
    const raw = await fetch(`${server.url}/v1/responses/${run.final.id}?stream=true`, {
      headers: { authorization: `Bearer ${server.adminKey}`, 'last-event-id': String(cut) },
    });
    const tail: SseEvent[] = [];
    for await (const event of readSse(raw)) tail.push(event);
    expect(tail.map((event) => Number(event.id))).toEqual(run.seqs.filter((seq) => seq > cut));
    expect(tail.every((event) => event.data.sequence_number === Number(event.id))).toBe(true);
  });

  it('shows an approval request as an output item and runs the call once it is approved', async () => {
    const registered = await api.post('/v1/tools', {
      name: 'wire_money',
      description: 'Wires money',
      input_schema: cityInput,
      adapter: { type: 'http', url: `${tools.url}/wire` },
      requires_approval: true,
    });
    expect(registered.status).toBe(200);
    fake.enqueue(
      { toolCalls: [{ id: 'w1', name: 'wire_money', arguments: '{"city":"Bern"}' }] },
      { text: 'Sent.' },
    );
    const ask = await consume(
      client.responses.stream({ model: 'fake-model', input: 'pay', tools: ['wire_money'] as never }),
    );
    expect(ask.final.status).toBe('completed');
    const items = ask.final.output as unknown as { type: string; id: string; name?: string }[];
    expect(items.map((item) => item.type)).toEqual(['function_call', 'approval_request']);
    expect(items[1]).toMatchObject({ name: 'wire_money' });
    expect(tools.calls.filter((call) => call.path === '/wire')).toHaveLength(0);

    const answer = [{ type: 'approval_response', approval_request_id: items[1]!.id, approve: true }];
    const granted = await consume(
      client.responses.stream({
        model: 'fake-model',
        previous_response_id: ask.final.id,
        tools: ['wire_money'] as never,
        input: answer as never,
      }),
    );
    expect(granted.final.output[0]).toMatchObject({ type: 'function_call_output', output: '{"sent":true}' });
    expect(granted.final.output_text).toBe('Sent.');
    expect(tools.calls.filter((call) => call.path === '/wire')).toHaveLength(1);
    expect([...ask.types, ...granted.types].filter((type) => AGENTD_ONLY.has(type))).toEqual([]);
  });

  it('ends a cancelled run as OpenAI ends an unfinished one, its response saying cancelled', async () => {
    fake.enqueue({ chunks: ['Once', ' upon', ' a time'], hangAfterChunks: 3 });
    const stream = client.responses.stream({ model: 'fake-model', input: 'Tell me a story.' });
    const types: string[] = [];
    let id = '';
    let cancelled: Promise<unknown> | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.created') id = event.response.id;
      if (event.type === 'response.output_text.delta' && !cancelled) cancelled = client.responses.cancel(id);
    }
    expect(await cancelled).toMatchObject({ status: 'cancelled' });
    const final = await stream.finalResponse();
    expect(final.status).toBe('cancelled');
    expect(types.at(-1)).toBe('response.failed');
    expect(types.filter((type) => AGENTD_ONLY.has(type))).toEqual([]);
    const stored = await client.responses.retrieve(id);
    expect(stored.status).toBe('cancelled');
    expect(final.output_text).toBe(stored.output_text);
    expect(final.output_text.length).toBeGreaterThan(0);
  });

  it("streams agentd's own events to a client that asks with agentd-events: all", async () => {
    fake.enqueue({ toolCalls: [{ id: 'add2', name: 'add', arguments: '{"a":1,"b":1}' }] }, { text: 'Two.' });
    const body = {
      model: 'fake-model',
      input: '1+1?',
      stream: true as const,
      tools: [
        {
          type: 'function',
          name: 'add',
          parameters: addSchema,
          strict: false,
          endpoint: { url: `${tools.url}/add` },
        },
      ],
    };
    const stream = await client.responses.create(body as never, { headers: { 'agentd-events': 'all' } });
    const events: { type: string; sequence_number: number }[] = [];
    for await (const event of stream as unknown as AsyncIterable<{ type: string; sequence_number: number }>)
      events.push(event);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => AGENTD_ONLY.has(type))).toEqual([
      'response.model_call.started',
      'response.model_call.completed',
      'response.tool_call.started',
      'response.tool_call.completed',
      'response.model_call.started',
      'response.model_call.completed',
    ]);
    // With every event there is no gap at all.
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index + 1));
    expect(types.at(-1)).toBe('response.completed');
    // Which is why it is an opt-in: OpenAI's stream helper refuses events it does not know.
    fake.enqueue(
      { toolCalls: [{ id: 'add3', name: 'add', arguments: '{"a":1,"b":2}' }] },
      { text: 'Three.' },
    );
    const helper = client.responses.stream({ ...body, stream: undefined } as never, {
      headers: { 'agentd-events': 'all' },
    });
    let refusedId = '';
    helper.on('response.created', (event) => {
      refusedId = event.response.id;
    });
    await expect(helper.finalResponse()).rejects.toThrow(/Unhandled response stream event/);
    // The run goes on without the client; let it finish before the next test scripts the model.
    await vi.waitFor(async () =>
      expect((await client.responses.retrieve(refusedId)).output_text).toBe('Three.'),
    );
  });

  it('refuses an unknown agentd-events value, naming the header, and documents it in /openapi.json', async () => {
    const bad = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.adminKey}`,
        'content-type': 'application/json',
        'agentd-events': 'everything',
      },
      body: JSON.stringify({ input: 'hi', stream: true }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('header.agentd-events');
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    for (const operation of [doc.paths['/v1/responses']?.post, doc.paths['/v1/responses/{id}']?.get]) {
      expect(operation?.parameters).toContainEqual(
        expect.objectContaining({ name: 'agentd-events', in: 'header' }),
      );
    }
  });
});
