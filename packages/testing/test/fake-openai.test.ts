import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAI } from '../src/fake-openai/fake-openai-server.js';
import type { FakeOpenAI } from '../src/fake-openai/types.js';

let fake: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ model: 'fake-model' });
  client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'sk-fake', maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const messages = [{ role: 'user' as const, content: 'hi' }];

function postChat(body: object, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages, stream: true, ...body }),
    ...init,
  });
}

describe('the fake OpenAI server, read by the official client', () => {
  it('streams chat completion chunks shaped like OpenAI, with a usage chunk and [DONE]', async () => {
    fake.enqueue({ text: 'Hello there, friend.', usage: { prompt_tokens: 7, completion_tokens: 4 } });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);

    const first = chunks[0]!;
    expect(first).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion.chunk',
      created: expect.any(Number),
      model: 'gpt-4o-mini',
      system_fingerprint: expect.any(String),
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Hello there, friend.');
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(3);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('streams tool calls that the client assembles back into the scripted calls', async () => {
    const toolCalls = [
      { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'call_2', name: 'get_time', arguments: '{"timezone":"Europe/Paris"}' },
    ];
    fake.enqueue({ toolCalls, interleaveToolCalls: true });
    const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual(
      toolCalls.map(({ id, name, arguments: args }) => ({
        id,
        type: 'function',
        function: { name, arguments: args },
      })),
    );
  });

  it('streams the first tool call header with id, type and name, and the arguments in pieces', async () => {
    fake.enqueue({ toolCalls: [{ name: 'lookup', arguments: '{"query":"server-sent events"}' }] });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    const deltas = [];
    for await (const chunk of stream) deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
    expect(deltas[0]).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    const rest = deltas.slice(1);
    expect(rest.length).toBeGreaterThan(2);
    expect(rest.every((delta) => delta.id === undefined && delta.function?.name === undefined)).toBe(true);
    expect(rest.map((delta) => delta.function?.arguments).join('')).toBe('{"query":"server-sent events"}');
  });

  it('answers a non-streaming request with a chat.completion object', async () => {
    fake.enqueue({ text: 'Plain answer.' });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Plain answer.' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
  });

  it('streams the Responses event sequence with sequence numbers', async () => {
    fake.enqueue({
      text: 'Checking now.',
      toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
      usage: { prompt_tokens: 20, completion_tokens: 10 },
    });
    const stream = await client.responses.create({
      model: 'gpt-5-mini',
      input: 'Weather in Oslo?',
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);

    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    const types = events.map((event) => event.type);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      ...types.filter((type) => type === 'response.function_call_arguments.delta'),
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(types.filter((type) => type === 'response.function_call_arguments.delta').length).toBeGreaterThan(
      1,
    );
    const completed = events.at(-1);
    expect(completed?.type === 'response.completed' && completed.response).toMatchObject({
      status: 'completed',
      model: 'gpt-5-mini',
      usage: { input_tokens: 20, output_tokens: 10, total_tokens: 30 },
      output: [
        { type: 'message', content: [{ type: 'output_text', text: 'Checking now.' }] },
        { type: 'function_call', call_id: 'call_9', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    });
  });

  it('satisfies the client Responses stream helper, which rebuilds the response from the events', async () => {
    fake.enqueue({
      reasoning: 'Short thought.',
      text: 'Done.',
      toolCalls: [{ id: 'call_3', name: 'f', arguments: '{"a":1}' }],
    });
    const response = await client.responses.stream({ model: 'gpt-5-mini', input: 'go' }).finalResponse();
    expect(response.output_text).toBe('Done.');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output[2]).toMatchObject({ call_id: 'call_3', name: 'f', arguments: '{"a":1}' });
  });

  it('lists its model', async () => {
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toEqual(['fake-model']);
  });

  it('records each request with its path, headers and parsed body', async () => {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.3 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages, temperature: 0.3 },
      aborted: false,
    });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-fake');
  });
});

describe('the fake OpenAI server scripting', () => {
  it('answers queued turns in order, then the handler, then the default text', async () => {
    fake.enqueue({ text: 'first' }, { text: 'second' });
    fake.setHandler((request) => ({ text: `echo ${request.body.messages[0].content}` }));
    const answer = async () =>
      (await client.chat.completions.create({ model: 'm', messages })).choices[0]?.message.content;
    expect([await answer(), await answer(), await answer()]).toEqual(['first', 'second', 'echo hi']);
    fake.setHandler(undefined);
    expect(await answer()).toBe('Hello from the fake OpenAI server.');
  });

  it('forgets queued turns, the handler and the recorded requests on reset', async () => {
    fake.enqueue({ text: 'queued' });
    fake.setHandler(() => ({ text: 'handled' }));
    await client.models.list();
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    const completion = await client.chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake OpenAI server.');
  });
});

describe('the fake OpenAI server fault injection', () => {
  it('answers a scripted HTTP error with an OpenAI error body and headers', async () => {
    fake.enqueue({ error: { status: 429, headers: { 'retry-after': '1' } } });
    const response = await postChat({});
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({
      error: { code: 'rate_limit_exceeded', message: expect.any(String) },
    });
  });

  it('sends a custom error body as given', async () => {
    fake.enqueue({ error: { status: 500, body: { error: { message: 'boom' } } } });
    const response = await postChat({});
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { message: 'boom' } });
  });

  it('waits before the headers', async () => {
    fake.enqueue({ delayBeforeHeadersMs: 300 });
    const started = performance.now();
    const response = await postChat({});
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(response.status).toBe(200);
    await response.text();
  });

  it('paces the chunks', async () => {
    fake.enqueue({ chunks: ['a', 'b', 'c'], chunkDelayMs: 50 });
    const started = performance.now();
    await (await postChat({})).text();
    // role, three deltas, finish, [DONE]: six events, each after a 50 ms pause.
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('drops the connection mid-stream, and does not count that as a client abort', async () => {
    fake.enqueue({ text: 'one two three four', dropAfterChunks: 2 });
    const response = await postChat({});
    await expect(response.text()).rejects.toThrow();
    expect(fake.requests[0]?.aborted).toBe(false);
  });

  it('sends a line of invalid JSON mid-stream', async () => {
    fake.enqueue({ text: 'one two three', malformedAfterChunks: 2 });
    const body = await (await postChat({})).text();
    const data = body.split('\n').filter((line) => line.startsWith('data: '));
    expect(data).toHaveLength(3);
    expect(() => JSON.parse(data[1]!.slice(6))).not.toThrow();
    expect(() => JSON.parse(data[2]!.slice(6))).toThrow();
  });

  it('hangs after the headers until the client goes away, and records the abort', async () => {
    fake.enqueue({ hang: true });
    const controller = new AbortController();
    const response = await postChat({}, { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reading = response.text();
    setTimeout(() => controller.abort(), 200);
    await expect(reading).rejects.toThrow();
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
  });

  it('hangs mid-stream after some events until the client goes away, and records the abort', async () => {
    fake.enqueue({ chunks: ['one', ' two', ' three'], hangAfterChunks: 3 });
    const controller = new AbortController();
    const response = await postChat({}, { signal: controller.signal });
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('" two"')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    // The role chunk and two text deltas came; the third never does.
    expect(received).toContain('"one"');
    expect(received).not.toContain('three');
    expect(fake.requests[0]?.aborted).toBe(false);
    controller.abort();
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
  });

  it('reports a mid-stream error as a chunk carrying error, which the client throws', async () => {
    fake.enqueue({ text: 'partial', streamError: { message: 'Overloaded', code: 'server_error' } });
    const stream = await client.chat.completions.create({ model: 'm', messages, stream: true });
    const consume = async () => {
      for await (const _chunk of stream) {
        // read until the error
      }
    };
    await expect(consume()).rejects.toThrow('Overloaded');
  });

  it('answers unknown paths with 404 and bad JSON with 400', async () => {
    const notFound = await fetch(`${fake.baseURL}/images/generations`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    const badJson = await fetch(`${fake.baseURL}/chat/completions`, { method: 'POST', body: '{nope' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
