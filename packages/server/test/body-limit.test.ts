import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { AgentdError } from '../src/errors.js';
import { bodyLimit } from '../src/http/middleware/body-limit/body-limit.js';

function app(maxSize: number) {
  return new Hono()
    .use(bodyLimit(maxSize))
    .post('/', async (c) => c.text(`read ${(await c.req.text()).length}`))
    .onError((error, c) => c.text(error instanceof AgentdError ? error.code : 'other', 413));
}

/** A body without a content-length: sent chunked. */
function chunked(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

describe('bodyLimit', () => {
  it('passes a body within the limit, by its content-length or as it streams', async () => {
    const response = await app(10).request('/', {
      method: 'POST',
      body: '0123456789',
      headers: { 'content-length': '10' },
    });
    expect(await response.text()).toBe('read 10');
    const streamed = await app(10).request('/', {
      method: 'POST',
      body: chunked('0123'),
      duplex: 'half',
    } as RequestInit);
    expect(await streamed.text()).toBe('read 4');
  });

  it('refuses a body over the limit, by its content-length or as it streams', async () => {
    const declared = await app(10).request('/', {
      method: 'POST',
      body: '0123456789A',
      headers: { 'content-length': '11' },
    });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toBe('body_too_large');
    const streamed = await app(10).request('/', {
      method: 'POST',
      body: chunked('0123456789A'),
      duplex: 'half',
    } as RequestInit);
    expect(await streamed.text()).toBe('body_too_large');
  });
});
