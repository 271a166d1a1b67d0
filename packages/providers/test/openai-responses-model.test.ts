import type { ModelRequest } from '@agentd/spec';
import { fakeOpenAISuite } from '@agentd/testing';
import { describe, expect, it, vi } from 'vitest';
import { ModelError } from '../src/model-error.js';
import type { OpenAIResponsesModelOptions } from '../src/openai-compatible-options.js';
import { createOpenAIResponsesModel } from '../src/openai-responses/openai-responses-model.js';
import { collect, collectUntilError, textOf, userRequest } from './support.js';

const suite = fakeOpenAISuite();

const model = (options: Partial<OpenAIResponsesModelOptions> = {}) =>
  createOpenAIResponsesModel({
    baseURL: suite.fake.baseURL,
    apiKey: 'sk-test-key',
    retryBaseDelayMs: 5,
    ...options,
  });

describe('the Responses provider against an OpenAI-compatible server', () => {
  it('streams plain text with usage, statelessly', async () => {
    suite.fake.enqueue({ text: 'Bonjour tout le monde.', usage: { prompt_tokens: 9, completion_tokens: 6 } });
    const parts = await collect(model().stream(userRequest('Say hello in French')));
    expect(parts).toEqual([
      { type: 'text-delta', delta: 'Bonjour' },
      { type: 'text-delta', delta: ' tout' },
      { type: 'text-delta', delta: ' le' },
      { type: 'text-delta', delta: ' monde.' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 6 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(suite.fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/responses', aborted: false });
    expect(suite.fake.requests[0]?.headers.authorization).toBe('Bearer sk-test-key');
    expect(suite.fake.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini',
      input: [{ type: 'message', role: 'user', content: 'Say hello in French' }],
      stream: true,
      store: false,
    });
  });

  it('sends instructions, message, function call and output items, tools and settings', async () => {
    const request: ModelRequest = {
      model: 'gpt-5-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Use metric units.' },
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: '21 °C' },
      ],
      tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object' } }],
      toolChoice: 'required',
      settings: { temperature: 0.5, topP: 0.8, maxOutputTokens: 300, reasoningEffort: 'minimal', seed: 1 },
    };
    await collect(model().stream(request));
    expect(suite.fake.requests[0]?.body).toEqual({
      model: 'gpt-5-mini',
      instructions: 'Be brief.\n\nUse metric units.',
      input: [
        { type: 'message', role: 'user', content: 'Weather in Paris?' },
        { type: 'message', role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '21 °C' },
      ],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object' },
          strict: false,
        },
      ],
      tool_choice: 'required',
      temperature: 0.5,
      top_p: 0.8,
      max_output_tokens: 300,
      reasoning: { effort: 'minimal' },
      stream: true,
      store: false,
    });
  });

  it('keeps a system message that follows the conversation in its place, not in the instructions', async () => {
    await collect(
      model().stream({
        model: 'gpt-5-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'system', content: 'From now on, answer in French.' },
          { role: 'user', content: 'How are you?' },
        ],
        tools: [],
        settings: {},
      }),
    );
    expect(suite.fake.requests[0]?.body.instructions).toBe('Be brief.');
    expect(suite.fake.requests[0]?.body.input).toEqual([
      { type: 'message', role: 'user', content: 'Hi' },
      { type: 'message', role: 'assistant', content: 'Hello.' },
      { type: 'message', role: 'system', content: 'From now on, answer in French.' },
      { type: 'message', role: 'user', content: 'How are you?' },
    ]);
  });

  it('streams a function call and finishes with tool-calls', async () => {
    const call = { id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' };
    suite.fake.enqueue({ toolCalls: [call], usage: { prompt_tokens: 30, completion_tokens: 12 } });
    const parts = await collect(model().stream(userRequest('Weather?')));
    expect(parts[0]).toEqual({ type: 'tool-call-start', index: 0, id: 'call_w1', name: 'get_weather' });
    const deltas = parts.flatMap((part) => (part.type === 'tool-call-delta' ? [part.delta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(call.arguments);
    expect(parts.slice(-3)).toEqual([
      { type: 'tool-call', index: 0, call },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12 } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('streams a reasoning summary, text and two function calls in order', async () => {
    suite.fake.enqueue({
      reasoning: 'Need both.',
      text: 'Looking up.',
      toolCalls: [
        { id: 'call_1', name: 'a', arguments: '{}' },
        { id: 'call_2', name: 'b', arguments: '{"x":1}' },
      ],
    });
    const parts = await collect(model().stream(userRequest('go')));
    expect(parts.filter((part) => part.type === 'reasoning-delta').map((part) => part.delta)).toEqual([
      'Need',
      ' both.',
    ]);
    expect(textOf(parts)).toBe('Looking up.');
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', index: 0, call: { id: 'call_1', name: 'a', arguments: '{}' } },
      { type: 'tool-call', index: 1, call: { id: 'call_2', name: 'b', arguments: '{"x":1}' } },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('reports a response cut at max_output_tokens as length', async () => {
    suite.fake.enqueue({ text: 'Once upon', finishReason: 'length' });
    const parts = await collect(model().stream(userRequest('story')));
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });
});

describe('the Responses provider when things go wrong', () => {
  it('throws the reason of a failed response', async () => {
    suite.fake.enqueue({ streamError: { code: 'server_error', message: 'The model failed to answer.' } });
    const { error } = await collectUntilError(model().stream(userRequest('hi')));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('failed to answer'),
    });
    expect(suite.fake.requests).toHaveLength(1);
  });

  it('times out a silent stream', async () => {
    suite.fake.enqueue({ hang: true });
    const { error } = await collectUntilError(
      model({ idleTimeoutMs: 150, maxRetries: 0 }).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_idle_timeout' });
    await vi.waitFor(() => expect(suite.fake.requests[0]?.aborted).toBe(true));
  });
});
