import { BACKENDS } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeModelSuite } from './support/fake-model-suite.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const echoTool = (name: string, url: string) => ({
  type: 'function' as const,
  name,
  parameters: { type: 'object', properties: { n: { type: 'number' } } },
  endpoint: { url },
});

describe.each(BACKENDS)('the Responses request fields on %s', (backend) => {
  let tools: ToolServer;

  beforeAll(async () => {
    tools = await startToolServer({ echo: (body: { n: unknown }) => ({ got: body.n }) });
  });
  afterAll(async () => {
    await tools?.close();
  });
  const suite = fakeModelSuite({
    backend,
    env: {
      AGENTD_MODEL_MAX_RETRIES: '0',
      AGENTD_CONTEXT_TOKENS: '400',
      AGENTD_NET_ALLOW: '127.0.0.1',
      AGENTD_CODE_INTERPRETER_POOL_SIZE: '1',
    },
  });

  it('user, safety_identifier and reasoning go to the model and are echoed', async () => {
    suite.fake.enqueue({ text: 'ok' });
    const response = await suite.client.responses.create({
      model: 'fake-model',
      input: 'hi',
      user: 'user-42',
      safety_identifier: 'hash-abc',
      reasoning: { effort: 'low' },
    });
    expect(response).toMatchObject({
      user: 'user-42',
      safety_identifier: 'hash-abc',
      reasoning: { effort: 'low', summary: null },
      store: true,
      truncation: 'auto',
    });
    expect(suite.fake.requests[0]!.body).toMatchObject({
      user: 'user-42',
      safety_identifier: 'hash-abc',
      reasoning_effort: 'low',
    });
  });

  it('parallel_tool_calls false: passed to the model, and only the first call of a turn runs', async () => {
    suite.fake.enqueue(
      {
        toolCalls: [
          { id: 'call_1', name: 'echo', arguments: '{"n":1}' },
          { id: 'call_2', name: 'echo', arguments: '{"n":2}' },
        ],
      },
      { text: 'done' },
    );
    const before = tools.calls.length;
    const response = await suite.client.responses.create({
      model: 'fake-model',
      input: 'echo twice',
      parallel_tool_calls: false,
      tools: [echoTool('echo', `${tools.url}/echo`) as never],
    });
    expect(response.status).toBe('completed');
    expect(response.parallel_tool_calls).toBe(false);
    expect(tools.calls.slice(before).map((call) => call.body)).toEqual([{ n: 1 }]);
    expect(response.output.map((item) => item.type)).toEqual([
      'function_call',
      'function_call_output',
      'message',
    ]);
    expect(suite.fake.requests[0]!.body.parallel_tool_calls).toBe(false);
    // The model is shown the one call it made that ran, with its result.
    const replay = suite.fake.requests[1]!.body.messages;
    expect(replay.find((message: { role: string }) => message.role === 'assistant').tool_calls).toHaveLength(
      1,
    );
  });

  it('truncation disabled: an input over the context budget is a 400 naming the limit; auto trims and runs', async () => {
    const long = 'lorem ipsum '.repeat(300);
    const refused = await suite.api.post('/v1/responses', {
      model: 'fake-model',
      input: long,
      truncation: 'disabled',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'context_length_exceeded', param: 'input' });
    expect(refused.body.error.message).toContain('AGENTD_CONTEXT_TOKENS');
    expect(refused.body.error.message).toContain('400 tokens');
    expect(suite.fake.requests).toHaveLength(0);

    suite.fake.enqueue({ text: 'short' });
    const first = await suite.client.responses.create({
      model: 'fake-model',
      input: long,
      truncation: 'auto',
    });
    suite.fake.enqueue({ text: 'fine' });
    const trimmed = await suite.client.responses.create({
      model: 'fake-model',
      input: 'and now?',
      previous_response_id: first.id,
      truncation: 'auto',
    });
    expect(trimmed.status).toBe('completed');
    expect(trimmed.truncation).toBe('auto');
    // The oldest turn (the long input) was dropped to fit.
    expect(JSON.stringify(suite.fake.requests[1]!.body.messages)).not.toContain('lorem');

    const chained = await suite.api.post('/v1/responses', {
      model: 'fake-model',
      input: 'and now?',
      previous_response_id: first.id,
      truncation: 'disabled',
    });
    expect(chained.status).toBe(400);
    expect(chained.body.error.code).toBe('context_length_exceeded');
  });

  it('store false: the response comes back, then it and its events are gone', async () => {
    suite.fake.enqueue({ text: 'forget me' });
    const response = await suite.client.responses.create({ model: 'fake-model', input: 'hi', store: false });
    expect(response.output_text).toBe('forget me');
    expect((response as unknown as { store: boolean }).store).toBe(false);
    expect((await suite.api.get(`/v1/responses/${response.id}`)).status).toBe(404);
    expect((await suite.api.get(`/v1/responses/${response.id}/events`)).status).toBe(404);
    const chained = await suite.api.post('/v1/responses', {
      input: 'more',
      previous_response_id: response.id,
    });
    expect(chained.status).toBe(404);
  });

  it('store false, streamed: every event arrives, then the response is gone', async () => {
    suite.fake.enqueue({ text: 'streamed and forgotten' });
    const stream = suite.client.responses.stream({ model: 'fake-model', input: 'hi', store: false });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    const final = await stream.finalResponse();
    expect(text).toBe('streamed and forgotten');
    expect(final.status).toBe('completed');
    let status = 200;
    for (let attempt = 0; attempt < 100 && status !== 404; attempt++) {
      status = (await suite.api.get(`/v1/responses/${final.id}`)).status;
      if (status !== 404) await sleep(50);
    }
    expect(status).toBe(404);
  });

  it('store false with background is a 400 naming store', async () => {
    const refused = await suite.api.post('/v1/responses', { input: 'hi', store: false, background: true });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('store');
  });

  it('include: an unknown value is a 400 naming include[i], on create and on GET', async () => {
    const refused = await suite.api.post('/v1/responses', {
      input: 'hi',
      include: ['file_search_call.results', 'everything'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('include[1]');
    suite.fake.enqueue({ text: 'ok' });
    const made = await suite.client.responses.create({ model: 'fake-model', input: 'hi' });
    const read = await suite.api.get(`/v1/responses/${made.id}?include=nope`);
    expect(read.status).toBe(400);
    expect(read.body.error.param).toBe('include[0]');
  });

  it('include message.output_text.logprobs: asked of the model and passed through on the deltas and the text', async () => {
    suite.fake.enqueue({ text: 'two words' });
    const stream = suite.client.responses.stream({
      model: 'fake-model',
      input: 'hi',
      include: ['message.output_text.logprobs'],
    });
    const deltas = [];
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas.push(event);
    const final = await stream.finalResponse();
    expect(suite.fake.requests[0]!.body.logprobs).toBe(true);
    const tokens = deltas.flatMap((delta) => delta.logprobs.map((entry) => entry.token));
    expect(tokens.join('')).toBe('two words');
    const message = final.output.find((item) => item.type === 'message');
    const part = message?.type === 'message' ? message.content[0] : undefined;
    expect(part?.type === 'output_text' && part.logprobs?.map((entry) => entry.logprob)).toEqual([
      -0.1, -0.1,
    ]);
  });

  it('without that include the model is not asked and every delta has an empty logprobs array', async () => {
    suite.fake.enqueue({ text: 'two words' });
    const stream = suite.client.responses.stream({ model: 'fake-model', input: 'hi' });
    const deltas = [];
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas.push(event);
    expect(suite.fake.requests[0]!.body.logprobs).toBeUndefined();
    expect(deltas.length).toBeGreaterThan(0);
    for (const delta of deltas) expect(delta.logprobs).toEqual([]);
  });

  it('include code_interpreter_call.outputs: outputs are null unless asked for, on create and GET', {
    timeout: 120_000,
  }, async () => {
    const request = {
      model: 'scripted',
      input: 'run python: print(6*7)',
      tools: [{ type: 'code_interpreter' as const, container: { type: 'auto' as const } }],
    };
    const plain = await suite.client.responses.create(request);
    const call = plain.output.find((item) => item.type === 'code_interpreter_call');
    expect(call).toMatchObject({ status: 'completed', code: 'print(6*7)', outputs: null });
    const asked = await suite.client.responses.create({
      ...request,
      include: ['code_interpreter_call.outputs'],
    });
    expect(asked.output.find((item) => item.type === 'code_interpreter_call')).toMatchObject({
      outputs: [{ type: 'logs', logs: '42' }],
    });
    // Kept whole: a later GET that includes them gets them; the official client sends include[].
    const again = await suite.client.responses.retrieve(plain.id, {
      include: ['code_interpreter_call.outputs'],
    });
    expect(again.output.find((item) => item.type === 'code_interpreter_call')).toMatchObject({
      outputs: [{ type: 'logs', logs: '42' }],
    });
  });

  it('include file_search_call.results: results are null unless asked for, streamed or not', async () => {
    const file = await suite.client.files.create({
      file: new File(['Refund policy: unused items may be returned within 30 days.'], 'refunds.txt'),
      purpose: 'assistants',
    });
    const store = await suite.client.vectorStores.create({ name: 'kb', file_ids: [file.id] });
    for (let attempt = 0; attempt < 400; attempt++) {
      const current = await suite.api.get(`/v1/vector_stores/${store.id}`);
      if (current.body.file_counts.completed === 1) break;
      await sleep(50);
    }
    const turns = () =>
      suite.fake.enqueue(
        { toolCalls: [{ id: 'call_fs', name: 'file_search', arguments: '{"query":"refund days"}' }] },
        { text: 'You have 30 days [1].' },
      );
    const request = {
      model: 'fake-model',
      input: 'How long for a refund?',
      tools: [{ type: 'file_search' as const, vector_store_ids: [store.id] }],
    };
    turns();
    const plain = await suite.client.responses.create(request);
    expect(plain.output.find((item) => item.type === 'file_search_call')).toMatchObject({
      status: 'completed',
      results: null,
    });
    // The citation still names the file: the stored run keeps the results.
    expect(JSON.stringify(plain.output)).toContain(file.id);

    turns();
    const stream = suite.client.responses.stream({ ...request, include: ['file_search_call.results'] });
    for await (const _event of stream) {
      // drained
    }
    const final = await stream.finalResponse();
    const call = final.output.find((item) => item.type === 'file_search_call');
    expect(call?.type === 'file_search_call' && call.results?.[0]).toMatchObject({ file_id: file.id });
  });
});
