import { createServer, type IncomingMessage, type Server } from 'node:http';
import {
  Agentd,
  AgentdAPIError,
  AgentdError,
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  backoffDelay,
  InternalServerError,
  NotFoundError,
} from '@agentd/sdk';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSdkServer } from './support.js';

describe('typed errors from a real server', () => {
  let agentd: AgentdWithFakeModel & { client: Agentd };
  beforeAll(async () => {
    agentd = await startSdkServer();
  });
  afterAll(async () => agentd?.close());

  it('a missing response is a NotFoundError with the status, code and message', async () => {
    const error = await agentd.client.responses.retrieve('resp_nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(AgentdAPIError);
    expect(error).toBeInstanceOf(AgentdError);
    expect(error).toMatchObject({ status: 404, category: 'not_found', name: 'NotFoundError' });
    expect((error as AgentdAPIError).code).toMatch(/not_found/);
    expect((error as AgentdAPIError).requestId).toMatch(/./);
  });

  it('a bad request names the field at fault', async () => {
    const error = await agentd.client.responses
      .create({ input: 'x', temperature: 9 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'temperature' });
  });

  it('a wrong key is an AuthenticationError', async () => {
    const stranger = new Agentd({ baseURL: agentd.server.url, apiKey: 'sk-wrong' });
    const error = await stranger.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401 });
  });

  it('a server nobody listens on is an APIConnectionError', async () => {
    const nowhere = new Agentd({ baseURL: 'http://127.0.0.1:9', apiKey: 'k', retry: { maxRetries: 0 } });
    const error = await nowhere.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ code: 'connection_error' });
  });
});

describe('retries', () => {
  let server: Server;
  let url: string;
  let seen: { method: string; at: number; key: string | undefined }[] = [];
  let failures = 0;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      seen.push({
        method: request.method ?? '',
        at: performance.now(),
        key: request.headers['idempotency-key'] as string | undefined,
      });
      if (failures > 0) {
        failures--;
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            error: { type: 'server_error', code: 'unavailable', message: 'busy', param: null },
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ object: 'list', data: [], first_id: null, last_id: null, has_more: false }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () =>
    new Agentd({ baseURL: url, apiKey: 'k', retry: { maxRetries: 3, initialDelayMs: 40 } });

  it('retries a GET on 503 with growing delays, then succeeds', async () => {
    seen = [];
    failures = 2;
    const page = await client().models.list();
    expect(page.object).toBe('list');
    expect(seen).toHaveLength(3);
    const [first, second, third] = seen.map((request) => request.at) as [number, number, number];
    // Equal jitter: retry n waits between half and all of 40 ms * 2^n.
    expect(second - first).toBeGreaterThanOrEqual(19);
    expect(third - second).toBeGreaterThanOrEqual(39);
  });

  it('gives up after maxRetries with the last answer as a typed error', async () => {
    seen = [];
    failures = 10;
    const error = await client()
      .models.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable', category: 'unavailable' });
    expect(seen).toHaveLength(4);
    failures = 0;
  });

  it('retries a POST only when it carries an idempotency key, always the same one', async () => {
    seen = [];
    failures = 1;
    const error = await client()
      .moderations.create({ input: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);

    seen = [];
    failures = 1;
    await client().responses.create({ input: 'x' });
    expect(seen).toHaveLength(2);
    expect(seen[0]?.key).toMatch(/^sdk-/);
    expect(seen[1]?.key).toBe(seen[0]?.key);
  });

  it('backoff doubles, is capped, and honours Retry-After', () => {
    const options = { maxRetries: 5, initialDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, options, null, () => 0)).toBe(50);
    expect(backoffDelay(0, options, null, () => 1)).toBe(100);
    expect(backoffDelay(2, options, null, () => 1)).toBe(400);
    expect(backoffDelay(6, options, null, () => 1)).toBe(1000);
    expect(backoffDelay(0, options, '0.25', () => 1)).toBe(250);
    expect(backoffDelay(0, options, '30', () => 1)).toBe(1000);
  });
});
