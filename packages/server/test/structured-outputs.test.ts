import { type Agentd, BACKENDS, openaiOptions, startAgentd } from '@agentd/test-server';
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fakeModelSuite } from './support/fake-model-suite.js';

const Person = z.object({ name: z.string(), age: z.number().int() });
const personFormat = zodTextFormat(Person, 'person');
const texts = (output: { type: string; content?: { text: string }[] }[]) =>
  output.filter((item) => item.type === 'message').map((item) => item.content?.[0]?.text);

describe.each(BACKENDS)('structured outputs on %s (Chat Completions model)', (backend) => {
  const suite = fakeModelSuite({ backend, env: { AGENTD_MODEL_MAX_RETRIES: '0' } });

  it('responses.parse with zodTextFormat: the schema goes to the model as response_format, the answer comes back parsed', async () => {
    suite.fake.enqueue({ text: '{"name":"Ada","age":36}' });
    const response = await suite.client.responses.parse({
      model: 'fake-model',
      input: 'Who wrote the first program?',
      text: { format: personFormat },
    });
    expect(response.status).toBe('completed');
    expect(response.output_parsed).toEqual({ name: 'Ada', age: 36 });
    expect(response.text).toEqual({
      format: { type: 'json_schema', name: 'person', strict: true, schema: personFormat.schema },
    });
    expect(suite.fake.requests).toHaveLength(1);
    expect(suite.fake.requests[0]!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'person', strict: true, schema: personFormat.schema },
    });
  });

  it('a mismatch goes back to the model with the failing paths; only the corrected answer is in the output', async () => {
    suite.fake.enqueue({ text: '{"name":"Ada","age":"36"}' }, { text: '{"name":"Ada","age":36}' });
    const response = await suite.client.responses.parse({
      model: 'fake-model',
      input: 'Who wrote the first program?',
      text: { format: personFormat },
    });
    expect(response.status).toBe('completed');
    expect(response.output_parsed).toEqual({ name: 'Ada', age: 36 });
    expect(texts(response.output as never)).toEqual(['{"name":"Ada","age":36}']);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(suite.fake.requests).toHaveLength(2);
    const retry = suite.fake.requests[1]!.body.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Ada","age":"36"}' });
    expect(retry.at(-1).role).toBe('user');
    expect(retry.at(-1).content).toContain("Your answer must be the JSON schema 'person'");
    expect(retry.at(-1).content).toContain('- /age: must be integer');
    expect(suite.fake.requests[1]!.body.response_format.type).toBe('json_schema');
  });

  it('a mismatch twice ends the response incomplete, naming the failing path', async () => {
    suite.fake.enqueue({ text: '{"name":"Ada"}' }, { text: '{"name":"Ada","age":1.5}' });
    const response = await suite.client.responses.create({
      model: 'fake-model',
      input: 'Who?',
      text: { format: personFormat },
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({
      reason: 'invalid_structured_output',
      path: '/age',
      message: "The answer does not match the JSON schema 'person' (after 1 retry): /age: must be integer",
    });
    expect(suite.fake.requests).toHaveLength(2);
    const stored = await suite.api.get(`/v1/responses/${response.id}`);
    expect(stored.body).toMatchObject({ status: 'incomplete', incomplete_details: { path: '/age' } });
  });

  it('json_object: asked of the model and checked to be a JSON object', async () => {
    suite.fake.enqueue({ text: 'Sure: ok' }, { text: '{"ok": true}' });
    const response = await suite.client.responses.create({
      model: 'fake-model',
      input: 'Answer in JSON.',
      text: { format: { type: 'json_object' } },
    });
    expect(response.status).toBe('completed');
    expect(JSON.parse(response.output_text)).toEqual({ ok: true });
    expect(suite.fake.requests[0]!.body.response_format).toEqual({ type: 'json_object' });
    expect(suite.fake.requests[1]!.body.messages.at(-1).content).toContain('(root): is not valid JSON');
  });

  it('streams a structured answer: the accepted JSON arrives as deltas and finalResponse parses it', async () => {
    suite.fake.enqueue({ text: '{"name":"x"}' }, { text: '{"name":"Grace","age":85}' });
    const stream = suite.client.responses.stream({
      model: 'fake-model',
      input: 'Who?',
      text: { format: personFormat },
    });
    let streamed = '';
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') streamed += event.delta;
    const final = await stream.finalResponse();
    expect(streamed).toBe('{"name":"Grace","age":85}');
    expect(final.output_parsed).toEqual({ name: 'Grace', age: 85 });
  });

  it('refuses a schema that is not valid JSON Schema with a 400 naming the path inside it', async () => {
    const bad = await suite.api.post('/v1/responses', {
      input: 'x',
      model: 'fake-model',
      text: {
        format: {
          type: 'json_schema',
          name: 'p',
          schema: { type: 'object', properties: { age: { type: 'integr' } } },
        },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_json_schema',
      param: 'text.format.schema.properties.age.type',
    });
    const noName = await suite.api.post('/v1/responses', {
      input: 'x',
      text: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.param).toBe('text.format.name');
    expect(suite.fake.requests).toHaveLength(0);
  });

  it('echoes text.format as text when none was asked for', async () => {
    suite.fake.enqueue({ text: 'plain' });
    const response = await suite.client.responses.create({ model: 'fake-model', input: 'hi' });
    expect(response.text).toEqual({ format: { type: 'text' } });
    expect(suite.fake.requests[0]!.body.response_format).toBeUndefined();
  });
});

describe.each(BACKENDS)('structured outputs on %s (Responses API model, 2 retries)', (backend) => {
  const suite = fakeModelSuite({
    backend,
    env: {
      AGENTD_MODEL_API: 'responses',
      AGENTD_MODEL_MAX_RETRIES: '0',
      AGENTD_STRUCTURED_OUTPUT_RETRIES: '2',
    },
  });

  it('passes the format as text.format and retries as often as AGENTD_STRUCTURED_OUTPUT_RETRIES says', async () => {
    suite.fake.enqueue({ text: '{}' }, { text: '{"name":1}' }, { text: '{"name":"Ada","age":36}' });
    const response = await suite.client.responses.parse({
      model: 'fake-model',
      input: 'Who?',
      text: { format: personFormat },
    });
    expect(response.output_parsed).toEqual({ name: 'Ada', age: 36 });
    expect(suite.fake.requests).toHaveLength(3);
    expect(suite.fake.requests[0]!.body.text).toEqual({
      format: { type: 'json_schema', name: 'person', strict: true, schema: personFormat.schema },
    });
  });
});

describe.each(BACKENDS)('structured outputs on %s (the scripted model)', (backend) => {
  let agentd: Agentd;
  let client: OpenAI;

  beforeAll(async () => {
    agentd = await startAgentd({ backend });
    client = new OpenAI(openaiOptions(agentd));
  });
  afterAll(() => agentd?.close());

  it('answers a schema request with a valid instance of the schema', async () => {
    const Plan = z.object({
      title: z.string(),
      level: z.enum(['low', 'high']),
      steps: z.array(z.object({ n: z.number().int(), done: z.boolean() })),
      note: z.string().nullable(),
    });
    const response = await client.responses.parse({
      input: 'Make a plan',
      tools: [],
      text: { format: zodTextFormat(Plan, 'plan') },
    });
    expect(response.status).toBe('completed');
    expect(response.output_parsed).toEqual({ title: '', level: 'low', steps: [], note: '' });
  });

  it('answers json_object with its plain answer under "answer"', async () => {
    const response = await client.responses.create({
      input: 'Hello',
      tools: [],
      text: { format: { type: 'json_object' } },
    });
    expect(JSON.parse(response.output_text).answer).toMatch(/scripted model/);
  });
});
