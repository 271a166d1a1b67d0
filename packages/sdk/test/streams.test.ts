import { Agentd, type ResponseEvent, type ResponseStream } from '@agentd/sdk';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import type { FakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy, startSdkServer } from './support.js';

describe('response streams', () => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let client: Agentd;
  let proxy: CuttingProxy;
  let proxied: Agentd;

  beforeAll(async () => {
    agentd = await startSdkServer();
    ({ fake } = agentd);
    client = new Agentd({ baseURL: agentd.server.url, apiKey: agentd.server.adminKey });
    proxy = await startCuttingProxy(agentd.server.url);
    proxied = new Agentd({ baseURL: proxy.url, apiKey: agentd.server.adminKey });
  });
  afterAll(async () => {
    await proxy?.close();
    await agentd?.close();
  });
  beforeEach(() => fake.reset());

  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');

  /**
   * Reads a stream to its end through the one connection the proxy breaks:
   * one reconnect, and events numbered 1, 2, 3… with none missing or repeated.
   */
  async function readThroughOneBreak(stream: ResponseStream, cutsBefore: number) {
    const events: ResponseEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(proxy.cuts).toBe(cutsBefore + 1);
    expect(stream.reconnects).toBe(1);
    const numbers = events.map((event) => event.sequence_number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    return { events, numbers };
  }

  it('resumes after the connection is cut mid-stream: nothing missing, nothing repeated', async () => {
    fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = proxy.cuts;
    // The cut leaves half of event 7 on the wire: it must not be read as an event.
    proxy.cutBefore('"sequence_number":7');
    const stream = proxied.responses.stream({ input: 'talk' });
    const { events, numbers } = await readThroughOneBreak(stream, cutsBefore);
    // Exactly the run's event log, and the answer whole.
    const log = await client.responses.events(stream.responseId as string, { limit: 1000 });
    expect(numbers).toEqual(log.data.map((event) => event.sequence_number));
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(text).toBe(words);
    expect((await stream.finalResponse()).status).toBe('completed');
  });

  it('resumes a stream cut before the run was known, by repeating the create with its idempotency key', async () => {
    fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = proxy.cuts;
    proxy.cutBefore('event: response.created');
    const { events } = await readThroughOneBreak(proxied.responses.stream({ input: 'talk' }), cutsBefore);
    expect(events.at(-1)?.type).toBe('response.completed');
    // One run, not two: the repeat found the first.
    const runs = fake.requests.filter((request) => request.method === 'POST');
    expect(runs).toHaveLength(1);
  });

  it('reopens a connection that goes silent (no bytes, no error) after the idle timeout', async () => {
    fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = proxy.cuts;
    proxy.stallBefore('"sequence_number":6');
    const stream = proxied.responses.stream({ input: 'talk' }, { idleTimeoutMs: 300 });
    const { events } = await readThroughOneBreak(stream, cutsBefore);
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('follows an existing run from a sequence number with resume()', async () => {
    fake.enqueue({ text: 'a b c' });
    const done = await client.responses.create({ input: 'x' });
    const all: number[] = [];
    for await (const event of client.responses.resume(done.id)) all.push(event.sequence_number);
    const rest: number[] = [];
    for await (const event of client.responses.resume(done.id, { startingAfter: 3 }))
      rest.push(event.sequence_number);
    expect(rest).toEqual(all.filter((n) => n > 3));
  });

  it('an aborted stream cancels its run on the server', async () => {
    fake.enqueue({ text: 'first words', hangAfterChunks: 2 });
    const controller = new AbortController();
    const stream = client.responses.stream({ input: 'talk forever' }, { signal: controller.signal });
    const seen: string[] = [];
    await expect(async () => {
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === 'response.output_text.delta') controller.abort();
      }
    }).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toContain('response.output_text.delta');
    const run = await client.responses.poll(stream.responseId as string, { intervalMs: 50 });
    expect(run.status).toBe('cancelled');
  });

  it('cancelOnAbort: false only stops reading; the run goes on', async () => {
    fake.enqueue({ text: 'one two three four five six', chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = client.responses.stream(
      { input: 'talk' },
      { signal: controller.signal, cancelOnAbort: false },
    );
    await expect(async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') controller.abort();
    }).rejects.toMatchObject({ name: 'AbortError' });
    const run = await client.responses.poll(stream.responseId as string, { intervalMs: 50 });
    expect(run.status).toBe('completed');
  });

  it('polls a background run to its end', async () => {
    fake.enqueue({ text: 'later', chunkDelayMs: 10 });
    const queued = await client.responses.create({ input: 'in the background', background: true });
    expect(['queued', 'in_progress']).toContain(queued.status);
    const done = await client.responses.poll(queued.id, { intervalMs: 50 });
    expect(done.status).toBe('completed');
    expect(done.output.some((item) => item.type === 'message')).toBe(true);
  });
});
