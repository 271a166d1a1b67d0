import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { undiciPost } from '../src/http/undici-post.js';

const HEAD_BYTES = 90 * 1024;
const TAIL_BYTES = 10 * 1024;

describe('undiciPost', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  let previous: Dispatcher;
  /** The server holds each answer's last 10 KiB until the test lets it go. */
  let releaseTail: () => void = () => undefined;
  let tailReleased = Promise.resolve();

  beforeAll(async () => {
    // One connection at most: a second request reuses the first socket unless it was destroyed.
    previous = getGlobalDispatcher();
    setGlobalDispatcher(new Agent({ connections: 1 }));
    server = createServer((request, response) => {
      request.resume();
      request.on('end', async () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(Buffer.alloc(HEAD_BYTES, 97));
        await tailReleased;
        response.end(Buffer.alloc(TAIL_BYTES, 98));
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`;
  });
  afterAll(async () => {
    setGlobalDispatcher(previous);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = () => undiciPost(url, { headers: {}, body: '{}', signal: new AbortController().signal });

  it('reads out the rest of a long answer on cancel, so the connection is kept', async () => {
    tailReleased = new Promise((resolve) => {
      releaseTail = resolve;
    });
    const first = await post();
    const reader = first.body()!;
    let read = 0;
    while (read < HEAD_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('the answer ended early');
      read += chunk.value.byteLength;
    }
    const cancelling = reader.cancel();
    releaseTail();
    await cancelling;

    const second = await post();
    expect(second.status).toBe(200);
    expect((await second.text()).length).toBe(HEAD_BYTES + TAIL_BYTES);
    expect(connections).toBe(1);
  });
});
