import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../src/fake-openai/fake-openai-server.js';
import type { FakeOpenAI } from '../src/fake-openai/types.js';

let fake: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ baseURL: fake.baseURL, apiKey: 'sk-fake', maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function postEmbeddings(body: object): Promise<Response> {
  return fetch(`${fake.baseURL}/embeddings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('the fake OpenAI embeddings endpoint', () => {
  it('answers in the OpenAI shape, one unit vector per input, in order', async () => {
    const response = await postEmbeddings({
      model: 'text-embedding-3-small',
      input: ['otters hold hands', 'tax return deadline'],
      encoding_format: 'float',
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      object: 'list',
      model: 'text-embedding-3-small',
      data: [
        { object: 'embedding', index: 0, embedding: expect.any(Array) },
        { object: 'embedding', index: 1, embedding: expect.any(Array) },
      ],
      usage: { prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) },
    });
    expect(body.usage.prompt_tokens).toBe(body.usage.total_tokens);
    const [first, second] = body.data.map((item: { embedding: number[] }) => item.embedding);
    expect(first).toHaveLength(1536);
    expect(dot(first, first)).toBeCloseTo(1, 6);
    expect(dot(first, second)).toBeLessThan(0.5);
  });

  it('gives the same text the same vector, and texts sharing words similar ones', async () => {
    const response = await postEmbeddings({
      model: 'm',
      input: [
        'sea otters sleep holding hands',
        'Sea otters sleep holding hands',
        'sea otters sleep',
        'quarterly tax',
      ],
      dimensions: 64,
    });
    const vectors = (await response.json()).data.map((item: { embedding: number[] }) => item.embedding);
    expect(vectors[0]).toHaveLength(64);
    expect(vectors[1]).toEqual(vectors[0]);
    expect(dot(vectors[0], vectors[2])).toBeGreaterThan(dot(vectors[0], vectors[3]));
  });

  it('is read by the official client, which asks for base64 by default', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'hello world',
      dimensions: 8,
    });
    expect(fake.requests[0]?.body).toMatchObject({ encoding_format: 'base64', dimensions: 8 });
    const float = await postEmbeddings({ model: 'm', input: 'hello world', dimensions: 8 });
    const expected = (await float.json()).data[0].embedding as number[];
    const decoded = result.data[0]!.embedding;
    expect(decoded).toHaveLength(8);
    for (const [i, value] of decoded.entries()) expect(value).toBeCloseTo(expected[i]!, 6);
  });

  it('records each request', async () => {
    await postEmbeddings({ model: 'm', input: ['a b', 'c d'], dimensions: 4 });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/embeddings',
      body: { model: 'm', input: ['a b', 'c d'], dimensions: 4 },
    });
  });

  it('refuses invalid requests with 400 as OpenAI does', async () => {
    for (const body of [
      { input: 'x' },
      { model: 'm' },
      { model: 'm', input: [] },
      { model: 'm', input: [''] },
      { model: 'm', input: 'x', dimensions: 0 },
      { model: 'm', input: 'x', encoding_format: 'int8' },
    ]) {
      const response = await postEmbeddings(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    }
  });

  it('plays scripted faults in order, on a queue of its own, then computes vectors again', async () => {
    fake.enqueue({ text: 'a chat turn' });
    fake.enqueueEmbeddings(
      { error: { status: 429, headers: { 'retry-after': '2' } } },
      { error: { status: 500 } },
      { embeddings: [[1, 0, 0]] },
    );
    const limited = await postEmbeddings({ model: 'm', input: 'x' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect((await postEmbeddings({ model: 'm', input: 'x' })).status).toBe(500);
    expect((await (await postEmbeddings({ model: 'm', input: 'x' })).json()).data[0].embedding).toEqual([
      1, 0, 0,
    ]);
    expect(
      (await (await postEmbeddings({ model: 'm', input: 'x', dimensions: 5 })).json()).data[0].embedding,
    ).toHaveLength(5);
    const chat = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.choices[0]?.message.content).toBe('a chat turn');
  });

  it('drops the connection when scripted to', async () => {
    fake.enqueueEmbeddings({ drop: true });
    await expect(postEmbeddings({ model: 'm', input: 'x' })).rejects.toThrow();
    expect(fake.requests[0]?.aborted).toBe(false);
  });
});
