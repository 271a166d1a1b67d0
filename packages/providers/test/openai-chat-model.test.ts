import type { ModelRequest } from '@agentd/spec';
import { fakeOpenAISuite } from '@agentd/testing';
import { describe, expect, it, vi } from 'vitest';
import { ModelError } from '../src/model-error.js';
import { createOpenAIChatModel } from '../src/openai-chat/openai-chat-model.js';
import type { OpenAIChatModelOptions } from '../src/openai-compatible-options.js';
import { collect, collectUntilError, textOf, userRequest } from './support.js';

const suite = fakeOpenAISuite();

const model = (options: Partial<OpenAIChatModelOptions> = {}) =>
  createOpenAIChatModel({
    baseURL: suite.fake.baseURL,
    apiKey: 'sk-test-key',
    retryBaseDelayMs: 5,
    ...options,
  });

describe('the chat provider against an OpenAI-compatible server', () => {
  it('streams a plain answer, with usage and a stop', async () => {
    suite.fake.enqueue({ text: 'Hello there, friend.', usage: { prompt_tokens: 12, completion_tokens: 5 } });
    const parts = await collect(model().stream(userRequest('Say hello')));
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Hello' },
      { type: 'text-delta', delta: ' there,' },
      { type: 'text-delta', delta: ' friend.' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 5 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(suite.fake.requests).toHaveLength(1);
    expect(suite.fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      aborted: false,
    });
    expect(suite.fake.requests[0]?.headers.authorization).toBe('Bearer sk-test-key');
    expect(suite.fake.requests[0]?.body).toEqual({
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
    expect(suite.fake.requests[0]?.headers['x-project']).toBe('agentd');
    expect(suite.fake.requests[0]?.body).toEqual({
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
    const body = suite.fake.requests[0]?.body;
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
    suite.fake.enqueue({
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
    suite.fake.enqueue({ reasoning: 'Two plus two.', text: 'Four.' });
    const parts = await collect(model().stream(userRequest('2+2?')));
    expect(parts.slice(0, 3)).toEqual([
      { type: 'reasoning-delta', delta: 'Two' },
      { type: 'reasoning-delta', delta: ' plus' },
      { type: 'reasoning-delta', delta: ' two.' },
    ]);
    expect(textOf(parts)).toBe('Four.');
  });

  it('reports a turn cut at max_tokens as length', async () => {
    suite.fake.enqueue({ text: 'Once upon a', finishReason: 'length' });
    const parts = await collect(model().stream(userRequest('story')));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });
});

describe('the chat provider when things go wrong', () => {
  it('gives up after maxRetries with the last HTTP error', async () => {
    suite.fake.enqueue(...Array.from({ length: 3 }, () => ({ error: { status: 503 } })), {
      text: 'too late',
    });
    const { error } = await collectUntilError(model({ maxRetries: 2 }).stream(userRequest('hi')));
    expect(error).toMatchObject({ code: 'model_http_error', status: 503, retryable: true });
    expect(suite.fake.requests).toHaveLength(3);
  });

  it('times out a stream that goes silent after the headers, and closes the connection', async () => {
    suite.fake.enqueue({ hang: true }, { hang: true });
    const started = performance.now();
    const { error } = await collectUntilError(
      model({ idleTimeoutMs: 150, maxRetries: 1 }).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_idle_timeout' });
    expect(performance.now() - started).toBeLessThan(2000);
    // Nothing had arrived, so the silent stream was retried once.
    expect(suite.fake.requests).toHaveLength(2);
    await vi.waitFor(() => expect(suite.fake.requests.every((request) => request.aborted)).toBe(true));
  });

  it('retries a request that timed out before its headers', async () => {
    suite.fake.enqueue({ delayBeforeHeadersMs: 2000, text: 'late' }, { text: 'on time' });
    const parts = await collect(model({ requestTimeoutMs: 150, maxRetries: 1 }).stream(userRequest('hi')));
    expect(textOf(parts)).toBe('on time');
    expect(suite.fake.requests).toHaveLength(2);
  });

  it('does not retry a connection that drops mid-stream, since data was already received', async () => {
    suite.fake.enqueue({ text: 'one two three four five six', dropAfterChunks: 3 }, { text: 'never' });
    const { parts, error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(textOf(parts)).toBe('one two');
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_connection_error' });
    expect(suite.fake.requests).toHaveLength(1);
  });

  it('fails with the server message when the stream reports an error', async () => {
    suite.fake.enqueue({
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
});
