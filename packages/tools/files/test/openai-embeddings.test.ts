import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { type FakeOpenAI, startFakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cosineSimilarity, EmbeddingError, OpenAIEmbeddings } from '../src/index.js';

const API_KEY = 'sk-test-secret-key-0123456789';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function embedder(
  options: Partial<ConstructorParameters<typeof OpenAIEmbeddings>[0]> = {},
): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    baseUrl: fake.baseURL,
    apiKey: API_KEY,
    model: 'text-embedding-3-small',
    dimensions: 16,
    ...options,
  });
}

const embeddingRequests = () => fake.requests.filter((request) => request.path === '/v1/embeddings');

describe('OpenAIEmbeddings', () => {
  it('posts to {baseUrl}/embeddings with the model, dimensions, float encoding and the key', async () => {
    const vectors = await embedder().embed(['otters hold hands', 'tax deadline']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(16);
    const [request] = embeddingRequests();
    expect(request?.body).toEqual({
      model: 'text-embedding-3-small',
      input: ['otters hold hands', 'tax deadline'],
      encoding_format: 'float',
      dimensions: 16,
    });
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('names its vector space by model and dimensions', () => {
    expect(embedder().id).toBe('openai-compatible:text-embedding-3-small:16');
    expect(embedder({ dimensions: undefined }).dimensions).toBe(1536);
    expect(() => embedder({ model: 'nomic-embed-text', dimensions: undefined })).toThrow(
      /set `dimensions` for model "nomic-embed-text"/,
    );
    expect(() => embedder({ batchSize: 0 })).toThrow(RangeError);
  });

  it('sends inputs in batches and returns the vectors in input order', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `text number ${i}`);
    const vectors = await embedder({ batchSize: 3 }).embed(texts);
    expect(embeddingRequests().map((request) => request.body.input.length)).toEqual([3, 3, 1]);
    const single = await embedder().embed([texts[5]!]);
    expect(vectors[5]).toEqual(single[0]);
    expect(await embedder().embed([])).toEqual([]);
  });

  it('orders the vectors by their index, whatever order the server lists them in', async () => {
    const server = await serveOnce({
      data: [
        { object: 'embedding', index: 1, embedding: [0, 1] },
        { object: 'embedding', index: 0, embedding: [1, 0] },
      ],
    });
    try {
      const client = new OpenAIEmbeddings({ baseUrl: server.baseUrl, model: 'm', dimensions: 2 });
      expect(await client.embed(['a', 'b'])).toEqual([
        [1, 0],
        [0, 1],
      ]);
    } finally {
      await server.close();
    }
  });

  it('sends no dimensions parameter when told not to, and still checks the length', async () => {
    await embedder({ model: 'bge-small', dimensions: 1536, sendDimensions: false }).embed(['x']);
    expect(embeddingRequests()[0]?.body).not.toHaveProperty('dimensions');
  });

  it('retries after 429, waiting as long as Retry-After says', async () => {
    fake.enqueueEmbeddings({ error: { status: 429, headers: { 'retry-after': '1' } } });
    const started = Date.now();
    const vectors = await embedder().embed(['hello']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(vectors[0]).toHaveLength(16);
    expect(embeddingRequests()).toHaveLength(2);
  });

  it('retries after 500 and after a dropped connection', async () => {
    fake.enqueueEmbeddings({ error: { status: 500 } }, { drop: true });
    const vectors = await embedder().embed(['hello']);
    expect(vectors).toHaveLength(1);
    expect(embeddingRequests()).toHaveLength(3);
  });

  it('gives up after maxRetries with the server message, never showing the key', async () => {
    const echo = {
      error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' },
    };
    fake.enqueueEmbeddings({ error: { status: 401, body: echo } });
    const unauthorised = await embedder()
      .embed(['x'])
      .catch((error: unknown) => error);
    expect(unauthorised).toBeInstanceOf(EmbeddingError);
    expect(unauthorised).toMatchObject({ status: 401, code: 'embedding_failed', category: 'upstream' });
    expect((unauthorised as Error).message).toBe(
      `embeddings request to ${fake.baseURL}/embeddings (model "text-embedding-3-small") failed: ` +
        'HTTP 401: Incorrect API key provided: ***',
    );
    expect(embeddingRequests()).toHaveLength(1);

    fake.reset();
    fake.enqueueEmbeddings(
      { error: { status: 503 } },
      { error: { status: 503 } },
      { error: { status: 503 } },
    );
    const unavailable = embedder({ maxRetries: 2 }).embed(['x']);
    await expect(unavailable).rejects.toThrow(
      /HTTP 503: The server had an error .* \(gave up after 3 attempts\)/,
    );
    expect(embeddingRequests()).toHaveLength(3);
  });

  it('does not wait when the server asks for a very long pause', async () => {
    fake.enqueueEmbeddings({ error: { status: 429, headers: { 'retry-after': '3600' } } });
    await expect(embedder().embed(['x'])).rejects.toThrow(
      /HTTP 429: .* the server asks to retry after 3600 s/,
    );
  });

  it('reports vectors of the wrong length', async () => {
    fake.enqueueEmbeddings({ embeddings: [[0.1, 0.2, 0.3]] });
    await expect(embedder().embed(['x'])).rejects.toThrow(
      'model "text-embedding-3-small" returned vectors of 3 dimensions, but 16 were expected',
    );
  });

  it('reports a server that cannot be reached, after its retries', async () => {
    const port = await closedPort();
    const unreachable = new OpenAIEmbeddings({
      baseUrl: `http://127.0.0.1:${port}/v1`,
      model: 'text-embedding-3-small',
      maxRetries: 1,
    });
    await expect(unreachable.embed(['x'])).rejects.toThrow(
      /^embeddings request to http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings .* could not connect \(ECONNREFUSED\) \(gave up after 2 attempts\)$/,
    );
  });

  it('refuses a base URL with credentials without repeating them, or one that is not http(s)', () => {
    const withCredentials = () => embedder({ baseUrl: 'http://user:hunter2@localhost/v1' });
    expect(withCredentials).toThrow('baseUrl must not contain credentials; pass the key as apiKey');
    expect(withCredentials).not.toThrow(/hunter2/);
    expect(() => embedder({ baseUrl: 'file:///etc/v1' })).toThrow(/must be an http\(s\) URL/);
    expect(() => embedder({ baseUrl: 'localhost:11434/v1' })).toThrow(/must be an (absolute )?http\(s\) URL/);
  });

  it('stops waiting when the signal is aborted', async () => {
    fake.enqueueEmbeddings({ delayBeforeHeadersMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 100);
    await expect(embedder().embed(['x'], { signal: controller.signal })).rejects.toThrow('cancelled by test');
  });

  it('times out a request that takes too long, and retries it', async () => {
    fake.enqueueEmbeddings({ delayBeforeHeadersMs: 2_000 });
    const vectors = await embedder({ timeoutMs: 300 }).embed(['x']);
    expect(vectors).toHaveLength(1);
    expect(embeddingRequests()).toHaveLength(2);
  });

  it('gets similar vectors for texts that share words from the fake model', async () => {
    const [a, b, c] = await embedder({ dimensions: 256 }).embed([
      'sea otters hold hands',
      'otters hold hands at sea',
      'income tax deadline',
    ]);
    expect(cosineSimilarity(a!, b!)).toBeGreaterThan(cosineSimilarity(a!, c!));
  });
});

/** A local server that answers every request with `body`. */
async function serveOnce(body: unknown): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A local port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
