import { BACKENDS } from '@agentd/test-server';
import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentdSuite } from './support/agentd-suite.js';
import { fakeModelSuite } from './support/fake-model-suite.js';
import { strictObject } from './support/json-schemas.js';
import { toolServerSuite } from './support/tool-server-suite.js';

const citySchema = strictObject({ city: { type: 'string' }, population: { type: 'integer' } });

/** Agents run through Chat Completions with the scripted stand-in: built-in tools, approvals, structured outputs. */
describe.each(BACKENDS)('agents as chat models with the scripted model on %s', (backend) => {
  const upstream = toolServerSuite({ weather: () => ({ temperature: 12 }) });
  const suite = agentdSuite({ backend }, { maxRetries: 0 });

  beforeAll(async () => {
    const { api } = suite;
    expect((await api.post('/v1/agents', { name: 'coder', tools: ['code_interpreter'] })).status).toBe(200);
    const tool = await api.post('/v1/tools', {
      name: 'weather',
      description: 'Current weather for a city',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      adapter: { type: 'http', url: `${upstream.server.url}/weather` },
      requires_approval: true,
    });
    expect(tool.status).toBe(200);
    expect((await api.post('/v1/agents', { name: 'forecaster', tools: ['weather'] })).status).toBe(200);
  });

  it('shows the code interpreter at work as text, streamed and not', { timeout: 120_000 }, async () => {
    const completion = await suite.client.chat.completions.create({
      model: 'agent:coder',
      messages: [{ role: 'user', content: 'run python: print(6*7)' }],
    });
    const text = completion.choices[0]!.message.content!;
    expect(text.startsWith('*Running code_interpreter…*\n\n')).toBe(true);
    expect(text).toContain('42');
    expect(completion.choices[0]!.finish_reason).toBe('stop');

    const stream = await suite.client.chat.completions.create({
      model: 'agent:coder',
      messages: [{ role: 'user', content: 'run python: print(6*7)' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(streamed).toBe(text);
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('says in the answer that a tool waits for approval, and does not run it', async () => {
    const before = upstream.server.calls.length;
    const { data, response } = await suite.client.chat.completions
      .create({
        model: 'agent:forecaster',
        messages: [{ role: 'user', content: 'call weather {"city": "Oslo"}' }],
      })
      .withResponse();
    const responseId = response.headers.get('x-agentd-response-id');
    const stored = await suite.api.get(`/v1/responses/${responseId}`);
    const request = stored.body.output.find((item: { type: string }) => item.type === 'approval_request');
    expect(request).toMatchObject({ name: 'weather' });
    expect(data.choices[0]!.message.content).toBe(
      `*weather needs approval before it runs: approve or deny ${request.id} of response ${responseId} through the agentd API.*`,
    );
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(upstream.server.calls.length).toBe(before);
  });

  it('answers response_format json_schema with an instance of the schema', async () => {
    const { data, response } = await suite.client.chat.completions
      .create({
        model: 'scripted',
        messages: [{ role: 'user', content: 'The largest city of Norway, as JSON.' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'city', schema: citySchema, strict: true },
        },
      })
      .withResponse();
    const answer = JSON.parse(data.choices[0]!.message.content!);
    expect(Object.keys(answer).sort()).toEqual(['city', 'population']);
    expect(typeof answer.city).toBe('string');
    expect(Number.isInteger(answer.population)).toBe(true);
    // The run carries the format as the Responses API's text.format.
    const stored = await suite.api.get(`/v1/responses/${response.headers.get('x-agentd-response-id')}`);
    expect(stored.body.text.format).toEqual({
      type: 'json_schema',
      name: 'city',
      schema: citySchema,
      strict: true,
    });
  });

  it('names the chat field when response_format or a tool is refused', async () => {
    const badSchema = await suite.api.post('/v1/chat/completions', {
      model: 'scripted',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 'bad', schema: { type: 'wat' } } },
    });
    expect(badSchema.status).toBe(400);
    expect(badSchema.body.error.param).toMatch(/^response_format\.json_schema\.schema/);
    expect(badSchema.body.error.message).not.toContain('text.format');

    const badTool = await suite.api.post('/v1/chat/completions', {
      model: 'agent:coder',
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        { type: 'function', function: { name: 'f', parameters: { type: 'object', required: 'city' } } },
      ],
    });
    expect(badTool.status).toBe(400);
    expect(badTool.body.error.param).toMatch(/^tools\[0\]\.function\.parameters/);
  });
});

describe.each(BACKENDS)('response_format sent to a model endpoint on %s', (backend) => {
  const suite = fakeModelSuite(
    { backend, env: { OPENAI_API_KEY: undefined, AGENTD_MODEL_MAX_RETRIES: '0' } },
    { maxRetries: 0 },
  );

  it('passes response_format on, and asks again when the answer does not match', async () => {
    suite.fake.enqueue({ text: 'Oslo, about 700k people.' }, { text: '{"city":"Oslo","population":709000}' });
    const completion = await suite.client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Largest city of Norway?' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city', schema: citySchema, strict: true },
      },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ city: 'Oslo', population: 709000 });
    expect(suite.fake.requests.length).toBe(2);
    expect(suite.fake.requests[0]!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'city', schema: citySchema, strict: true },
    });
  });
});
