import type { ModelStreamPart } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../src/openai-chat/openai-chat-model.js';
import { collect, fixtureFetch, readFixture, userRequest } from './support.js';

/** Streams a fixture through the provider, cut into pieces of `chunkSize` bytes. */
function streamFixture(name: string, chunkSize?: number): Promise<ModelStreamPart[]> {
  const model = createOpenAIChatModel({
    baseURL: 'http://fixture.test/v1',
    fetch: fixtureFetch(readFixture(name), chunkSize),
  });
  return collect(model.stream(userRequest('hi')));
}

const text = (delta: string): ModelStreamPart => ({ type: 'text-delta', delta });
const reasoning = (delta: string): ModelStreamPart => ({ type: 'reasoning-delta', delta });
const start = (index: number, id: string, name: string): ModelStreamPart => ({
  type: 'tool-call-start',
  index,
  id,
  name,
});
const delta = (index: number, piece: string): ModelStreamPart => ({
  type: 'tool-call-delta',
  index,
  delta: piece,
});
const call = (index: number, id: string, name: string, args: string): ModelStreamPart => ({
  type: 'tool-call',
  index,
  call: { id, name, arguments: args },
});
const usage = (inputTokens: number, outputTokens: number): ModelStreamPart => ({
  type: 'usage',
  usage: { inputTokens, outputTokens },
});

const expected: Record<string, ModelStreamPart[]> = {
  'openai-text.sse': [
    ...['It', ' is', ' 21', ' °C', ' in', ' Paris', '.'].map(text),
    usage(14, 8),
    { type: 'finish', reason: 'stop' },
  ],
  'openai-parallel-tool-calls.sse': [
    start(0, 'call_Xv2kQm9TfJ1sLp0aNb3cRd7e', 'get_weather'),
    delta(0, '{"ci'),
    delta(0, 'ty": "P'),
    delta(0, 'aris"}'),
    start(1, 'call_q8WnB4yHc2ZrT6uKe1oVs5Lm', 'get_weather'),
    delta(1, '{"ci'),
    delta(1, 'ty": "Z'),
    delta(1, 'ürich"}'),
    start(2, 'call_d3FgH7jK1lZ9xC5vB2nM8qWe', 'get_time'),
    delta(2, '{"tz": '),
    delta(2, '"Europe/'),
    delta(2, 'Zurich"}'),
    call(0, 'call_Xv2kQm9TfJ1sLp0aNb3cRd7e', 'get_weather', '{"city": "Paris"}'),
    call(1, 'call_q8WnB4yHc2ZrT6uKe1oVs5Lm', 'get_weather', '{"city": "Zürich"}'),
    call(2, 'call_d3FgH7jK1lZ9xC5vB2nM8qWe', 'get_time', '{"tz": "Europe/Zurich"}'),
    usage(88, 61),
    { type: 'finish', reason: 'tool-calls' },
  ],
  'vllm-reasoning.sse': [
    ...['The user', "'s asking", ' for 2 + 2', ', which is 4', '.'].map(reasoning),
    ...['2 + 2', ' = ', '4.'].map(text),
    usage(18, 29),
    { type: 'finish', reason: 'stop' },
  ],
  'ollama-tool-calls.sse': [
    reasoning('Two cities, so two calls.'),
    start(0, 'call_hk81qg8b', 'get_weather'),
    delta(0, '{"city":"Paris"}'),
    start(1, 'call_rk2xye1l', 'get_weather'),
    delta(1, '{"city":"Tokyo"}'),
    call(0, 'call_hk81qg8b', 'get_weather', '{"city":"Paris"}'),
    call(1, 'call_rk2xye1l', 'get_weather', '{"city":"Tokyo"}'),
    usage(160, 48),
    { type: 'finish', reason: 'tool-calls' },
  ],
  'llamacpp-tool-call.sse': [
    reasoning('Search the docs.'),
    start(0, 'h3Tq9sVbN2xKcL7mR4pZ1wYe8uJd6fAo', 'search_docs'),
    delta(0, '{"'),
    delta(0, 'query'),
    delta(0, '":"'),
    delta(0, 'sse parser'),
    delta(0, '"}'),
    call(0, 'h3Tq9sVbN2xKcL7mR4pZ1wYe8uJd6fAo', 'search_docs', '{"query":"sse parser"}'),
    usage(312, 21),
    { type: 'finish', reason: 'tool-calls' },
  ],
};

describe('the chat provider on recorded server streams', () => {
  for (const [name, parts] of Object.entries(expected)) {
    it(`turns ${name} into the expected parts, however the bytes arrive`, async () => {
      expect(await streamFixture(name)).toEqual(parts);
      expect(await streamFixture(name, 7)).toEqual(parts);
      expect(await streamFixture(name, 1)).toEqual(parts);
    });
  }

  it('gives a tool call without an id one, counts llama.cpp timings as usage, and accepts a stream without [DONE]', async () => {
    const parts = await streamFixture('llamacpp-legacy.sse', 5);
    const id = parts.find((part) => part.type === 'tool-call-start')?.id;
    expect(id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(parts).toEqual([
      text('Let me check.'),
      start(0, id!, 'get_time'),
      delta(0, '{}'),
      call(0, id!, 'get_time', '{}'),
      usage(40, 9),
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });
});
