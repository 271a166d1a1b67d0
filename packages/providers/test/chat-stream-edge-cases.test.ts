import type { FinishReason } from '@agentd/spec';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model-error.js';
import { createOpenAIChatModel } from '../src/openai-chat/openai-chat-model.js';
import { collect, collectUntilError, fixtureFetch, userRequest } from './support.js';

function sse(...chunks: unknown[]): string {
  return chunks
    .map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`)
    .join('');
}

function choice(delta: object, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function modelServing(body: string) {
  return createOpenAIChatModel({
    baseURL: 'http://fixture.test/v1',
    fetch: fixtureFetch(body),
    maxRetries: 0,
  });
}

describe('the chat provider on unusual streams', () => {
  it('fails when the stream ends before any finish reason', async () => {
    const { parts, error } = await collectUntilError(
      modelServing(sse(choice({ content: 'Hel' }))).stream(userRequest('hi')),
    );
    expect(parts).toEqual([{ type: 'text-delta', delta: 'Hel' }]);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('finish reason'),
    });
  });

  it('fails with the server message when a chunk carries an error', async () => {
    const body = sse(choice({ content: 'Hi' }), {
      error: { message: 'The model is overloaded', type: 'server_error' },
    });
    const { error } = await collectUntilError(modelServing(body).stream(userRequest('hi')));
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('The model is overloaded'),
    });
  });

  it('fails on a chunk that is not JSON', async () => {
    const { error } = await collectUntilError(
      modelServing(sse(choice({ content: 'a' }), '{"choices":[')).stream(userRequest('hi')),
    );
    expect(error).toMatchObject({ code: 'model_stream_error', retryable: false });
  });

  it('starts a call once, even when the server repeats its id and name on every delta', async () => {
    const header = { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup' } };
    const body = sse(
      choice({ tool_calls: [{ ...header, function: { name: 'lookup', arguments: '{"q":' } }] }),
      choice({ tool_calls: [{ ...header, function: { name: 'lookup', arguments: '"x"}' } }] }),
      choice({}, 'tool_calls'),
      '[DONE]',
    );
    expect(await collect(modelServing(body).stream(userRequest('hi')))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_1', name: 'lookup' },
      { type: 'tool-call-delta', index: 0, delta: '{"q":' },
      { type: 'tool-call-delta', index: 0, delta: '"x"}' },
      { type: 'tool-call', index: 0, call: { id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('waits for the name before starting a call, and keeps the arguments that came first', async () => {
    const body = sse(
      choice({ tool_calls: [{ index: 0, id: 'call_7', function: { arguments: '{"a"' } }] }),
      choice({ tool_calls: [{ index: 0, function: { name: 'late', arguments: ':1}' } }] }),
      choice({}, 'tool_calls'),
      '[DONE]',
    );
    expect(await collect(modelServing(body).stream(userRequest('hi')))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_7', name: 'late' },
      { type: 'tool-call-delta', index: 0, delta: '{"a":1}' },
      { type: 'tool-call', index: 0, call: { id: 'call_7', name: 'late', arguments: '{"a":1}' } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('reads whatever follows [DONE] as the end of the stream', async () => {
    const body = `${sse(choice({ content: 'ok' }, 'stop'), '[DONE]')}data: {broken\n\n`;
    expect(await collect(modelServing(body).stream(userRequest('hi')))).toEqual([
      { type: 'text-delta', delta: 'ok' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  const reasons: [string, boolean, FinishReason][] = [
    ['stop', false, 'stop'],
    ['stop', true, 'tool-calls'],
    ['tool_calls', true, 'tool-calls'],
    ['function_call', false, 'tool-calls'],
    ['length', false, 'length'],
    ['content_filter', false, 'content-filter'],
    ['eos_token', false, 'other'],
  ];
  for (const [raw, withCall, mapped] of reasons) {
    it(`maps finish_reason ${raw}${withCall ? ' after a tool call' : ''} to ${mapped}`, async () => {
      const toolCall = {
        tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
      };
      const body = sse(...(withCall ? [choice(toolCall)] : []), choice({}, raw), '[DONE]');
      const parts = await collect(modelServing(body).stream(userRequest('hi')));
      expect(parts.at(-1)).toEqual({ type: 'finish', reason: mapped });
    });
  }
});
