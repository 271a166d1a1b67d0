import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpPost } from '@agentd/spec';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Set when the response ended: `finished` when it was written whole, `closed` when the client left first. */
  ended?: 'finished' | 'closed';
}

type Reply = (res: ServerResponse, request: Received) => void;

const WAIT = { timeout: 10_000, interval: 10 };

async function readAll(reader: NonNullable<ReturnType<Awaited<ReturnType<HttpPost>>['body']>>) {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The behaviour every HttpPost promises the model providers, run against each
 * implementation with a local HTTP server: the request as given, the answer
 * as soon as its headers arrive (an error status is an answer, not a
 * rejection), the body streamed in order, an abort releasing the connection
 * (before the headers, mid-body, after a cancel), a refused connection rejected.
 */
export function describeHttpPostContract(name: string, post: HttpPost): void {
  describe(`HttpPost contract: ${name}`, () => {
    let server: Server;
    let base: string;
    let reply: Reply;
    const received: Received[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          const request: Received = {
            method: req.method ?? '',
            path: req.url ?? '',
            headers: req.headers,
            body,
          };
          received.push(request);
          res.on('close', () => {
            request.ended = res.writableFinished ? 'finished' : 'closed';
          });
          reply(res, request);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    beforeEach(() => {
      received.length = 0;
      reply = (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_1' });
        res.end('data: one\n\ndata: two\n\n');
      };
    });

    const init = (signal = new AbortController().signal) => ({
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-post' },
      body: '{"model":"m","input":"café"}',
      signal,
    });

    /** An answer that sends its first event and then nothing, read up to that event. */
    const stalledAfterFirstEvent = async () => {
      reply = (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
      };
      const controller = new AbortController();
      const answer = await post(`${base}/v1/responses`, init(controller.signal));
      const reader = answer.body()!;
      await reader.read();
      return { controller, reader };
    };

    it('sends a POST with the headers and body as given, and reads the answer whole', async () => {
      const answer = await post(`${base}/v1/responses?x=1`, init());
      expect(received[0]).toMatchObject({
        method: 'POST',
        path: '/v1/responses?x=1',
        body: '{"model":"m","input":"café"}',
      });
      expect(received[0]?.headers.authorization).toBe('Bearer sk-post');
      expect(received[0]?.headers['content-type']).toBe('application/json');
      expect(answer.status).toBe(200);
      expect(answer.statusText).toBe('OK');
      expect(answer.headers.get('X-Request-Id')).toBe('req_1');
      expect(answer.headers.get('x-absent')).toBeNull();
      expect(await answer.text()).toBe('data: one\n\ndata: two\n\n');
    });

    it('answers an error status as an answer, with its body, not a rejection', async () => {
      reply = (res) => {
        res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' });
        res.end('{"error":{"message":"slow down"}}');
      };
      const answer = await post(`${base}/v1/chat/completions`, init());
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('2');
      expect(await answer.text()).toContain('slow down');
    });

    it('resolves once the headers arrive, and streams the body in order as it comes', async () => {
      let finish: (() => void) | undefined;
      reply = (res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
        finish = () => res.end('data: last\n\n');
      };
      const answer = await post(`${base}/v1/responses`, init());
      const reader = answer.body();
      expect(reader).toBeDefined();
      const first = await reader!.read();
      expect(first.done).toBe(false);
      expect(Buffer.from(first.value ?? new Uint8Array()).toString()).toBe('data: first\n\n');
      finish?.();
      expect(await readAll(reader!)).toBe('data: last\n\n');
    });

    it('releases the connection when a reader cancelled mid-body is then aborted, as the providers do', async () => {
      // The providers cancel the reader of an answer they stop reading, then abort its signal.
      // A client may read out the rest on cancel to keep the connection; the abort still ends it.
      const { controller, reader } = await stalledAfterFirstEvent();
      const cancelled = reader.cancel().catch(() => undefined);
      controller.abort(new Error('the consumer stopped reading'));
      await cancelled;
      await vi.waitFor(() => expect(received[0]?.ended).toBe('closed'), WAIT);
    });

    it('rejects when the signal aborts before the headers, and closes the request', async () => {
      reply = () => {};
      const controller = new AbortController();
      const answering = post(`${base}/v1/responses`, init(controller.signal));
      await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
      controller.abort(new Error('the run was cancelled'));
      await expect(answering).rejects.toBeDefined();
      await vi.waitFor(() => expect(received[0]?.ended).toBe('closed'), WAIT);
    });

    it('fails the body when the signal aborts mid-body, and closes the request', async () => {
      const { controller, reader } = await stalledAfterFirstEvent();
      controller.abort(new Error('the run was cancelled'));
      await expect(readAll(reader)).rejects.toBeDefined();
      await vi.waitFor(() => expect(received[0]?.ended).toBe('closed'), WAIT);
    });

    it('rejects a connection that is refused', async () => {
      const gone = createServer();
      await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
      const port = (gone.address() as AddressInfo).port;
      await new Promise((resolve) => gone.close(resolve));
      await expect(post(`http://127.0.0.1:${port}/v1/responses`, init())).rejects.toBeDefined();
    });
  });
}
