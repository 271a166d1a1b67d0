import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LanguageModel, ModelRequest, ModelStreamPart } from '@agentd/spec';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeOpenAI } from '../fake-openai/fake-openai-server.js';
import type { FakeOpenAI } from '../fake-openai/types.js';
import { describeLanguageModelContract, textOfParts } from './language-model-contract.js';

/** The options the OpenAI-compatible providers share (`OpenAICompatibleOptions` of @agentd/providers). */
export interface HttpModelOptions {
  baseURL: string;
  apiKey?: string;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
}

const API_KEY = 'sk-contract-key-5512';
/** Generous: the machine may be loaded; the point is that a stalled call ends, not how fast. */
const WAIT = { timeout: 10_000, interval: 10 };

/** A request with one user message, for the model `gpt-4o-mini`, no tools, no settings. */
export function userRequest(content: string, overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    tools: [],
    settings: {},
    ...overrides,
  };
}

async function until(stream: AsyncIterable<ModelStreamPart>) {
  const parts: ModelStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
  } catch (error) {
    return { parts, error: error as Error & Record<string, unknown> };
  }
  throw new Error(`the stream ended without an error after ${parts.length} parts`);
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The LanguageModel contract, and what an OpenAI-compatible provider adds to
 * it, against the fake OpenAI server: retries only before any data arrived,
 * Retry-After honoured, time-outs that close the connection, errors with
 * their category (429 a rate limit, the rest upstream or unavailable) and no
 * API key in any message, cancellation at every stage of a call.
 */
export function describeOpenAICompatibleModelContract(
  name: string,
  create: (options: HttpModelOptions) => LanguageModel,
): void {
  describe(`${name} against the fake OpenAI server`, () => {
    describeOpenAICompatible(name, create);
  });
}

function describeOpenAICompatible(name: string, create: (options: HttpModelOptions) => LanguageModel): void {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake.reset());

  const model = (options: Partial<HttpModelOptions> = {}) =>
    create({ baseURL: fake.baseURL, apiKey: API_KEY, retryBaseDelayMs: 5, ...options });
  const tool = (name: string) => ({
    name,
    parameters: { type: 'object', properties: {}, additionalProperties: true },
  });

  describeLanguageModelContract(name, () => ({
    model: model(),
    textTurn: (text) => {
      // Slow enough that a test can act between two deltas.
      fake.enqueue({ text, chunkDelayMs: 20 });
      return { request: userRequest('Tell me about otters.'), text };
    },
    toolCallTurn: (toolName, args) => {
      fake.enqueue({ toolCalls: [{ name: toolName, arguments: JSON.stringify(args) }] });
      return userRequest('What is the weather?', { tools: [tool(toolName)] });
    },
    released: () =>
      vi.waitFor(() => expect(fake.requests.every((request) => request.aborted)).toBe(true), WAIT),
    requestsSent: () => fake.requests.length,
  }));

  describe(`OpenAI-compatible model contract: ${name}`, () => {
    it('retries a 500, then streams the answer', async () => {
      fake.enqueue({ error: { status: 500 } }, { text: 'Recovered.' });
      const parts: ModelStreamPart[] = [];
      for await (const part of model().stream(userRequest('hi'))) parts.push(part);
      expect(textOfParts(parts)).toBe('Recovered.');
      expect(fake.requests).toHaveLength(2);
    });

    it('honours Retry-After on a 429', async () => {
      fake.enqueue({ error: { status: 429, headers: { 'retry-after': '1' } } }, { text: 'After the wait.' });
      const started = performance.now();
      const parts: ModelStreamPart[] = [];
      for await (const part of model({ retryBaseDelayMs: 1 }).stream(userRequest('hi'))) parts.push(part);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(textOfParts(parts)).toBe('After the wait.');
    });

    it('gives up after maxRetries: a 429 left is a rate_limit error, a 503 an upstream one', async () => {
      fake.enqueue({ error: { status: 429 } }, { error: { status: 429 } });
      const limited = await until(model({ maxRetries: 1 }).stream(userRequest('hi')));
      expect(limited.error).toMatchObject({ category: 'rate_limit', code: 'model_http_error', status: 429 });
      fake.reset();
      fake.enqueue(...Array.from({ length: 3 }, () => ({ error: { status: 503 } })), { text: 'too late' });
      const failed = await until(model({ maxRetries: 2 }).stream(userRequest('hi')));
      expect(failed.error).toMatchObject({ category: 'upstream', code: 'model_http_error', status: 503 });
      expect(fake.requests).toHaveLength(3);
    });

    it('does not retry a 400, and passes on the server message without the API key', async () => {
      fake.enqueue(
        {
          error: {
            status: 400,
            body: { error: { message: `Invalid value for 'temperature' (${API_KEY})` } },
          },
        },
        { text: 'never sent' },
      );
      const { error } = await until(model().stream(userRequest('hi')));
      expect(error).toMatchObject({ category: 'upstream', code: 'model_http_error', status: 400 });
      expect(error.message).toContain("Invalid value for 'temperature'");
      expect(error.message).not.toContain(API_KEY);
      expect(fake.requests).toHaveLength(1);
    });

    it('reports a server that cannot be reached as unavailable, after retrying', async () => {
      const port = await unusedPort();
      const { error } = await until(
        create({ baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 2, retryBaseDelayMs: 20 }).stream(
          userRequest('hi'),
        ),
      );
      expect(error).toMatchObject({ category: 'unavailable', code: 'model_connection_error' });
      expect(error.message).toContain(`127.0.0.1:${port}`);
    });

    it('times out a stream that goes silent mid-answer, closes the connection, and does not retry it', async () => {
      // Six events: past the Responses API's four opening events, so some text has come.
      fake.enqueue(
        { text: 'one two three four five six seven eight', hangAfterChunks: 6 },
        { text: 'never' },
      );
      const { parts, error } = await until(model({ idleTimeoutMs: 200 }).stream(userRequest('hi')));
      expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
      expect(error).toMatchObject({ category: 'upstream', code: 'model_idle_timeout' });
      expect(fake.requests).toHaveLength(1);
      await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true), WAIT);
    });

    it('times out a request whose headers do not come, and closes the connection', async () => {
      fake.enqueue({ delayBeforeHeadersMs: 20_000, text: 'late' });
      const { error } = await until(
        model({ requestTimeoutMs: 200, maxRetries: 0 }).stream(userRequest('hi')),
      );
      expect(error).toMatchObject({ category: 'upstream', code: 'model_timeout' });
      await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true), WAIT);
    });

    it('fails a stream that breaks mid-answer as upstream, after the deltas that came, without a retry', async () => {
      fake.enqueue(
        { text: 'one two three four five six seven eight', malformedAfterChunks: 6 },
        { text: 'never' },
      );
      const { parts, error } = await until(model().stream(userRequest('hi')));
      expect(textOfParts(parts)).not.toBe('');
      expect(error).toMatchObject({ category: 'upstream', code: 'model_stream_error' });
      expect(fake.requests).toHaveLength(1);
    });

    it('stops while waiting for the headers, with the caller’s reason', async () => {
      fake.enqueue({ delayBeforeHeadersMs: 20_000 });
      const controller = new AbortController();
      const consumed = until(model().stream(userRequest('hi'), controller.signal));
      await vi.waitFor(() => expect(fake.requests).toHaveLength(1), WAIT);
      controller.abort();
      const { error } = await consumed;
      expect(error).toBe(controller.signal.reason);
      await vi.waitFor(() => expect(fake.requests[0]?.aborted).toBe(true), WAIT);
    });

    it('stops during the backoff before a retry, sending nothing more', async () => {
      fake.enqueue({ error: { status: 503, headers: { 'retry-after': '30' } } }, { text: 'never' });
      const controller = new AbortController();
      const consumed = until(model().stream(userRequest('hi'), controller.signal));
      await vi.waitFor(() => expect(fake.requests).toHaveLength(1), WAIT);
      controller.abort();
      expect((await consumed).error).toBe(controller.signal.reason);
      expect(fake.requests).toHaveLength(1);
    });
  });
}
