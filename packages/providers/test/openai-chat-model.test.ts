import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelRequest, ModelStreamPart } from '@agentd/spec';
import { type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ModelError } from '../src/model-error.js';
import { createOpenAIChatModel } from '../src/openai-chat/openai-chat-model.js';
import type { OpenAIChatModelOptions } from '../src/openai-compatible-options.js';
import { collect, collectUntilError, textOf, userRequest } from './support.js';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const model = (options: Partial<OpenAIChatModelOptions> = {}) =>
  createOpenAIChatModel({ baseURL: fake.baseURL, apiKey: 'sk-test-key', retryBaseDelayMs: 5, ...options });

describe('the chat provider against an OpenAI-compatible server', () => {
  it('streams a plain answer, with usage and a stop', async () => {
    fake.enqueue({ text: 'Hello there, friend.', usage: { prompt_tokens: 12, completion_tokens: 5 } });
    const parts = await collect(model().stream(userRequest('Say hello')));
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ' there,' },
      { type: 'text-delta', delta: ' friend.' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 5 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', aborted: false });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test-key');
    expect(fake.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the whole conversation, tools, tool choice and settings in the Chat Completions shape', async () => {
    const request: ModelRequest = {
      model: 'qwen3:8b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '21 °C' },
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      toolChoice: { type: 'function', name: 'get_weather' },
      settings: {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 256,
        presencePenalty: 0.1,
        frequencyPenalty: 0.3,
        seed: 42,
        stop: ['END'],
        parallelToolCalls: false,
        reasoningEffort: 'low',
      },
    };
    await collect(model({ headers: { 'x-project': 'agentd' } }).stream(request));
    expect(fake.requests[0]?.headers['x-project']).toBe('agentd');
    expect(fake.requests[0]?.body).toEqual({
      model: 'qwen3:8b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21 °C' },
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 256,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      seed: 42,
      stop: ['END'],
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('leaves tool_choice and parallel_tool_calls out when there are no tools', async () => {
    await collect(
      model().stream(userRequest('hi', { toolChoice: 'required', settings: { parallelToolCalls: true } })),
    );
    const body = fake.requests[0]?.body;
    expect(Object.keys(body)).not.toContain('tools');
    expect(Object.keys(body)).not.toContain('tool_choice');
    expect(Object.keys(body)).not.toContain('parallel_tool_calls');
  });

  it('assembles three parallel tool calls whose arguments arrive split and interleaved', async () => {
    const calls = [
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      { id: 'call_b', name: 'get_weather', arguments: '{"city":"Zürich","unit":"celsius"}' },
      { id: 'call_c', name: 'get_time', arguments: '{"timezone":"Asia/Tokyo"}' },
    ];
    fake.enqueue({
      toolCalls: calls,
      interleaveToolCalls: true,
      usage: { prompt_tokens: 40, completion_tokens: 30 },
    });
    const parts = await collect(model().stream(userRequest('Weather and time?')));

    expect(parts.slice(-5)).toEqual([
      ...calls.map((call, index) => ({ type: 'tool-call', index, call })),
      { type: 'usage', usage: { inputTokens: 40, outputTokens: 30 } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const streamed = parts.slice(0, -5);
    expect(streamed.filter((part) => part.type === 'tool-call-start')).toEqual(
      calls.map((call, index) => ({ type: 'tool-call-start', index, id: call.id, name: call.name })),
    );
    calls.forEach((call, index) => {
      const deltas = streamed.flatMap((part) =>
        part.type === 'tool-call-delta' && part.index === index ? [part.delta] : [],
      );
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(call.arguments);
    });
    // Interleaved: a delta of the first call arrives after the second call started.
    const types = streamed.map((part) => `${part.type}:${(part as { index: number }).index}`);
    expect(types.lastIndexOf('tool-call-delta:0')).toBeGreaterThan(types.indexOf('tool-call-start:1'));
  });

  it('streams reasoning before the answer', async () => {
    fake.enqueue({ reasoning: 'Two plus two.', text: 'Four.' });
    const parts = await collect(model().stream(userRequest('2+2?')));
    expect(parts.slice(0, 3)).toEqual([
      { type: 'reasoning-delta', delta: 'Two' },
      { type: 'reasoning-delta', delta: ' plus' },
      { type: 'reasoning-delta', delta: ' two.' },
    ]);
    expect(textOf(parts)).toBe('Four.');
  });

  it('reports a turn cut at max_tokens as length', async () => {
    fake.enqueue({ text: 'Once upon a', finishReason: 'length' });
    const parts = await collect(model().stream(userRequest('story')));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });
});

describe('the chat provider when things go wrong', () => {
  it('retries a 500 and then streams the answer', async () => {
    fake.enqueue({ error: { status: 500 } }, { text: 'Recovered.' });
    const parts = await collect(model().stream(userRequest('hi')));
    expect(textOf(parts)).toBe('Recovered.');
    expect(fake.requests).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    fake.enqueue({ error: { status: 429, headers: { 'retry-after': '1' } } }, { text: 'After the wait.' });
    const started = performance.now();
    const parts = await collect(model({ retryBaseDelayMs: 1 }).stream(userRequest('hi')));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(textOf(parts)).toBe('After the wait.');
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up after maxRetries with the last HTTP error', async () => {
    fake.enqueue(...Array.from({ length: 3 }, () => ({ error: { status: 503 } })), { text: 'too late' });
    const { error } = await collectUntilError(model({ maxRetries: 2 }).stream(userRequest('hi')));
    expect(error).toMatchObject({ code: 'model_http_error', status: 503, retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('does not retry a 400, and reports the server message', async () => {
    fake.enqueue(
      {
        error: {
          status: 400,
          body: { error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error' } },
        },
      },
      { text: 'never sent' },
    );
    const { error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_http_error', status: 400, retryable: false });
    expect((error as Error).message).toContain("Invalid value for 'temperature'");
    expect(fake.requests).toHaveLength(1);
  });

  it('never puts the API key in an error message, even when the server echoes it', async () => {
    fake.enqueue({
      error: { status: 401, body: { error: { message: 'Incorrect API key provided: sk-test-key' } } },
    });
    const { error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(error).toMatchObject({ code: 'model_http_error', status: 401 });
    expect((error as Error).message).not.toContain('sk-test-key');
    expect((error as Error).message).toContain('Incorrect API key provided');
  });

  it('times out a stream that goes silent after the headers, and closes the connection', async () => {
    fake.enqueue({ hang: true }, { hang: true });
    const started = performance.now();
    const { error } = await collectUntilError(
      model({ idleTimeoutMs: 150, maxRetries: 1 }).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_idle_timeout' });
    expect(performance.now() - started).toBeLessThan(2000);
    // Nothing had arrived, so the silent stream was retried once.
    expect(fake.requests).toHaveLength(2);
    await vi.waitFor(() => expect(fake.requests.every((request) => request.aborted)).toBe(true));
  });

  it('times out a request whose headers do not arrive in time', async () => {
    fake.enqueue({ delayBeforeHeadersMs: 2000, text: 'late' });
    const started = performance.now();
    const { error } = await collectUntilError(
      model({ requestTimeoutMs: 150, maxRetries: 0 }).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(1500);
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
  });

  it('retries a request that timed out before its headers', async () => {
    fake.enqueue({ delayBeforeHeadersMs: 2000, text: 'late' }, { text: 'on time' });
    const parts = await collect(model({ requestTimeoutMs: 150, maxRetries: 1 }).stream(userRequest('hi')));
    expect(textOf(parts)).toBe('on time');
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a connection that drops mid-stream, since data was already received', async () => {
    fake.enqueue({ text: 'one two three four five six', dropAfterChunks: 3 }, { text: 'never' });
    const { parts, error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(textOf(parts)).toBe('one two');
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_connection_error' });
    expect(fake.requests).toHaveLength(1);
  });

  it('fails on a malformed chunk', async () => {
    fake.enqueue({ text: 'one two three', malformedAfterChunks: 2 }, { text: 'never' });
    const { parts, error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(textOf(parts)).toBe('one');
    expect(error).toMatchObject({ code: 'model_stream_error', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('fails with the server message when the stream reports an error', async () => {
    fake.enqueue({
      text: 'partial',
      streamError: { message: 'The server had an error processing your request.' },
    });
    const { parts, error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(textOf(parts)).toBe('partial');
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('had an error'),
    });
  });

  it('reports a server that cannot be reached as a connection error, after retrying', async () => {
    const port = await unusedPort();
    const started = performance.now();
    const { error } = await collectUntilError(
      createOpenAIChatModel({
        baseURL: `http://127.0.0.1:${port}/v1`,
        maxRetries: 2,
        retryBaseDelayMs: 100,
      }).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_connection_error', retryable: true });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    // Two backoffs of at most 100 and 200 ms: quick, but not instant retries in a loop.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('aborting a chat stream', () => {
  it('stops mid-stream: the iterator throws the reason and the server sees the client go away', async () => {
    fake.enqueue({ text: 'a b c d e f g h i j k l m n o p', chunkDelayMs: 40 });
    const controller = new AbortController();
    const reason = new Error('the user pressed stop');
    const parts: ModelStreamPart[] = [];
    const consume = async () => {
      for await (const part of model().stream(userRequest('hi'), controller.signal)) {
        parts.push(part);
        if (parts.length === 2) controller.abort(reason);
      }
    };
    await expect(consume()).rejects.toBe(reason);
    expect(parts).toHaveLength(2);
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
    expect(fake.requests).toHaveLength(1);
  });

  it('stops while waiting for the headers', async () => {
    fake.enqueue({ delayBeforeHeadersMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const { error } = await collectUntilError(model().stream(userRequest('hi'), controller.signal));
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(2000);
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
  });

  it('stops during the backoff before a retry', async () => {
    fake.enqueue({ error: { status: 503, headers: { 'retry-after': '30' } } }, { text: 'never' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = performance.now();
    const { error } = await collectUntilError(model().stream(userRequest('hi'), controller.signal));
    expect(error).toBe(controller.signal.reason);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fake.requests).toHaveLength(1);
  });

  it('throws at once for a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled before start'));
    const { error } = await collectUntilError(model().stream(userRequest('hi'), controller.signal));
    expect((error as Error).message).toBe('cancelled before start');
    expect(fake.requests).toHaveLength(0);
  });

  it('closes the connection when the consumer stops reading early', async () => {
    fake.enqueue({ text: 'a b c d e f g h i j', chunkDelayMs: 40 });
    for await (const part of model().stream(userRequest('hi'))) {
      if (part.type === 'text-delta') break;
    }
    await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true));
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
