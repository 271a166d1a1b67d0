import { describe, expect, it } from 'vitest';
import { ModelError } from '../src/model-error.js';
import { createOpenAIResponsesModel } from '../src/openai-responses/openai-responses-model.js';
import { collect, collectUntilError, fixtureFetch, readFixture, userRequest } from './support.js';

function modelServing(body: string, chunkSize?: number) {
  return createOpenAIResponsesModel({
    baseURL: 'http://fixture.test/v1',
    fetch: fixtureFetch(body, chunkSize),
    maxRetries: 0,
  });
}

function events(...list: ({ type: string } & Record<string, unknown>)[]): string {
  return list
    .map((event, i) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`)
    .join('');
}

describe('the Responses provider on a recorded stream', () => {
  it('turns reasoning, text and a function call into the expected parts, however the bytes arrive', async () => {
    const expected = [
      { type: 'reasoning-delta', delta: '**Checking weather**\n\n' },
      { type: 'reasoning-delta', delta: 'The user wants Paris weather;' },
      { type: 'reasoning-delta', delta: " I'll call get_weather." },
      { type: 'text-delta', delta: 'Let me' },
      { type: 'text-delta', delta: ' look that' },
      { type: 'text-delta', delta: ' up.' },
      { type: 'tool-call-start', index: 0, id: 'call_Nw3Rk7Lq2ZtX9vB4mC6pD1sF', name: 'get_weather' },
      ...['{"', 'city', '":"', 'Paris', '"}'].map((delta) => ({ type: 'tool-call-delta', index: 0, delta })),
      {
        type: 'tool-call',
        index: 0,
        call: { id: 'call_Nw3Rk7Lq2ZtX9vB4mC6pD1sF', name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
      { type: 'usage', usage: { inputTokens: 71, outputTokens: 96 } },
      { type: 'finish', reason: 'tool-calls' },
    ];
    const body = readFixture('openai-responses-function-call.sse');
    expect(await collect(modelServing(body).stream(userRequest('weather?')))).toEqual(expected);
    expect(await collect(modelServing(body, 3).stream(userRequest('weather?')))).toEqual(expected);
  });
});

describe('the Responses provider on unusual streams', () => {
  it('reports an incomplete response cut by max_output_tokens as length', async () => {
    const body = events(
      {
        type: 'response.output_text.delta',
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: 'Once',
      },
      {
        type: 'response.incomplete',
        response: {
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          usage: { input_tokens: 5, output_tokens: 16 },
        },
      },
    );
    expect(await collect(modelServing(body).stream(userRequest('story')))).toEqual([
      { type: 'text-delta', delta: 'Once' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 16 } },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('throws the failure reason of response.failed', async () => {
    const body = events({
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'The model crashed' } },
    });
    const { error } = await collectUntilError(modelServing(body).stream(userRequest('hi')));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('The model crashed'),
    });
  });

  it('throws on an error event', async () => {
    const body = events({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', param: null });
    const { error } = await collectUntilError(modelServing(body).stream(userRequest('hi')));
    expect(error).toMatchObject({
      code: 'model_stream_error',
      message: expect.stringContaining('Slow down'),
    });
  });

  it('fails when the stream ends before the response completed', async () => {
    const body = events({
      type: 'response.output_text.delta',
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'Hi',
    });
    const { parts, error } = await collectUntilError(modelServing(body).stream(userRequest('hi')));
    expect(parts).toEqual([{ type: 'text-delta', delta: 'Hi' }]);
    expect(error).toMatchObject({ code: 'model_stream_error' });
  });
});
