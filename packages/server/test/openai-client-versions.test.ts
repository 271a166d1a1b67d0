/**
 * The official OpenAI client, at the version the project pins (the newest
 * 6.x) and at the newest 7.x, against agentd with the scripted model: one
 * pass over every part of the API a chat application or an SDK user touches
 * first. Both clients must see the same thing.
 */

import { BACKENDS, startTestServer, type TestServer } from '@agentd/test-server';
import { ApiClient } from '@agentd/testing';
import OpenAI6 from 'openai';
import OpenAI7 from 'openai-v7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSchema, strictObject } from './support/json-schemas.js';

type Client = InstanceType<typeof OpenAI6>;
const CLIENTS: [string, (baseURL: string, apiKey: string) => Client][] = [
  ['6.49.0', (baseURL, apiKey) => new OpenAI6({ baseURL, apiKey })],
  // 7.x types are a superset for what is used here; the cast keeps one code path for both.
  ['7.60.0', (baseURL, apiKey) => new OpenAI7({ baseURL, apiKey }) as unknown as Client],
];

const personSchema = strictObject({ name: { type: 'string' }, age: { type: 'integer' } });
const addTool = {
  type: 'function' as const,
  name: 'add',
  description: 'Adds two numbers',
  parameters: addSchema,
  strict: true,
};

describe.each(BACKENDS)('official OpenAI clients on %s', (backend) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ backend });
    const api = new ApiClient(server.url, server.adminKey);
    const agent = await api.post('/v1/agents', { name: 'versions-helper', instructions: 'Answer briefly.' });
    expect(agent.status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe.each(CLIENTS)('openai %s', (version, make) => {
    let client: Client;
    beforeAll(() => {
      client = make(`${server.url}/v1`, server.adminKey);
    });

    it('streams a response with responses.stream and returns it from finalResponse()', async () => {
      const stream = client.responses.stream({ model: 'agent:versions-helper', input: 'Hello!' });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      const final = await stream.finalResponse();
      expect(final.status).toBe('completed');
      expect(final.output_text.length).toBeGreaterThan(0);
      expect(types[0]).toBe('response.created');
      expect(types.at(-1)).toBe('response.completed');
      expect(types).toContain('response.output_text.delta');
    });

    it('returns a structured answer that responses.parse parses', async () => {
      const response = await client.responses.parse({
        model: 'agent:versions-helper',
        input: 'Who wrote the first program?',
        text: { format: { type: 'json_schema', name: 'person', schema: personSchema, strict: true } },
      });
      expect(response.status).toBe('completed');
      const parsed = response.output_parsed as unknown as { name: string; age: number };
      expect(typeof parsed.name).toBe('string');
      expect(Number.isInteger(parsed.age)).toBe(true);
    });

    it('hands a client-side function call back and continues with its output', async () => {
      const first = await client.responses.create({
        model: 'agent:versions-helper',
        input: 'call add {"a": 2, "b": 3}',
        tools: [addTool],
      });
      const call = first.output.find((item) => item.type === 'function_call');
      expect(call).toMatchObject({ type: 'function_call', name: 'add', arguments: '{"a":2,"b":3}' });
      const second = await client.responses.create({
        model: 'agent:versions-helper',
        previous_response_id: first.id,
        input: [
          { type: 'function_call_output', call_id: (call as { call_id: string }).call_id, output: '5' },
        ],
        tools: [addTool],
      });
      expect(second.status).toBe('completed');
      expect(second.output_text).toContain('5');
    });

    it('lists the agent among the models, and retrieves it', async () => {
      const ids: string[] = [];
      for await (const model of client.models.list()) ids.push(model.id);
      expect(ids).toContain('agent:versions-helper');
      const model = await client.models.retrieve('agent:versions-helper');
      expect(model).toMatchObject({ id: 'agent:versions-helper', object: 'model' });
    });

    it('answers chat.completions, streamed with a usage chunk and not', async () => {
      const completion = await client.chat.completions.create({
        model: 'agent:versions-helper',
        messages: [{ role: 'user', content: 'Hello!' }],
      });
      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
      const stream = await client.chat.completions.create({
        model: 'agent:versions-helper',
        messages: [{ role: 'user', content: 'Hello!' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: unknown;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe(completion.choices[0]?.message.content);
      expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
    });

    it('batches uploaded files into a vector store and searches them', async () => {
      const store = await client.vectorStores.create({ name: `versions-${version}` });
      const file = await client.files.create({
        file: new File(['The lighthouse keeper logs the tide at dawn.'], 'notes.txt', { type: 'text/plain' }),
        purpose: 'assistants',
      });
      const batch = await client.vectorStores.fileBatches.createAndPoll(store.id, { file_ids: [file.id] });
      expect(batch).toMatchObject({ object: 'vector_store.files_batch', status: 'completed' });
      expect(batch.file_counts.completed).toBe(1);
      const results = await client.vectorStores.search(store.id, { query: 'lighthouse tide' });
      expect(results.data[0]?.file_id).toBe(file.id);
    });

    it('cancels a background response, and store: false leaves nothing to retrieve', async () => {
      const background = await client.responses.create({
        model: 'agent:versions-helper',
        input: 'Hello!',
        background: true,
      });
      const cancelled = await client.responses.cancel(background.id).catch((error: unknown) => error);
      // It may have finished already; either way the answer is one the client understands.
      if (cancelled instanceof OpenAI6.APIError || cancelled instanceof OpenAI7.APIError) {
        expect((cancelled as { status: number }).status).toBe(409);
      } else {
        expect(['cancelled', 'completed']).toContain((cancelled as { status: string }).status);
      }
      const unstored = await client.responses.create({
        model: 'agent:versions-helper',
        input: 'Hello!',
        store: false,
      });
      expect(unstored.status).toBe('completed');
      const missing = await client.responses.retrieve(unstored.id).catch((error: unknown) => error);
      expect((missing as { status?: number }).status).toBe(404);
    });
  });
});
