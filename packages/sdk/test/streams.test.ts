import type { ResponseEvent, ResponseStream } from '@agentd/sdk';
import { describe, expect, it } from 'vitest';
import { cuttingProxySuite, sdkServerSuite } from './support.js';

describe('response streams', () => {
  const sdk = sdkServerSuite();
  const through = cuttingProxySuite(sdk);

  const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');

  /**
   * Reads a stream to its end through the one connection the proxy breaks:
   * one reconnect, and events numbered 1, 2, 3… with none missing or repeated.
   */
  async function readThroughOneBreak(stream: ResponseStream, cutsBefore: number) {
    const events: ResponseEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(through.proxy.cuts).toBe(cutsBefore + 1);
    expect(stream.reconnects).toBe(1);
    const numbers = events.map((event) => event.sequence_number);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    return { events, numbers };
  }

  it('resumes after the connection is cut mid-stream: nothing missing, nothing repeated', async () => {
    sdk.fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = through.proxy.cuts;
    // The cut leaves half of event 7 on the wire: it must not be read as an event.
    through.proxy.cutBefore('"sequence_number":7');
    const stream = through.client.responses.stream({ input: 'talk' });
    const { events, numbers } = await readThroughOneBreak(stream, cutsBefore);
    // Exactly the run's event log, and the answer whole.
    const log = await sdk.client.responses.events(stream.responseId as string, { limit: 1000 });
    expect(numbers).toEqual(log.data.map((event) => event.sequence_number));
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(text).toBe(words);
    expect((await stream.finalResponse()).status).toBe('completed');
  });

  it('resumes a stream cut before the run was known, by repeating the create with its idempotency key', async () => {
    sdk.fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = through.proxy.cuts;
    through.proxy.cutBefore('event: response.created');
    const { events } = await readThroughOneBreak(
      through.client.responses.stream({ input: 'talk' }),
      cutsBefore,
    );
    expect(events.at(-1)?.type).toBe('response.completed');
    // One run, not two: the repeat found the first.
    const runs = sdk.fake.requests.filter((request) => request.method === 'POST');
    expect(runs).toHaveLength(1);
  });

  it('reopens a connection that goes silent (no bytes, no error) after the idle timeout', async () => {
    sdk.fake.enqueue({ text: words, chunkDelayMs: 5 });
    const cutsBefore = through.proxy.cuts;
    through.proxy.stallBefore('"sequence_number":6');
    const stream = through.client.responses.stream({ input: 'talk' }, { idleTimeoutMs: 300 });
    const { events } = await readThroughOneBreak(stream, cutsBefore);
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('follows an existing run from a sequence number with resume()', async () => {
    sdk.fake.enqueue({ text: 'a b c' });
    const done = await sdk.client.responses.create({ input: 'x' });
    const all: number[] = [];
    for await (const event of sdk.client.responses.resume(done.id)) all.push(event.sequence_number);
    const rest: number[] = [];
    for await (const event of sdk.client.responses.resume(done.id, { startingAfter: 3 }))
      rest.push(event.sequence_number);
    expect(rest).toEqual(all.filter((n) => n > 3));
  });

  it('an aborted stream cancels its run on the server', async () => {
    sdk.fake.enqueue({ text: 'first words', hangAfterChunks: 2 });
    const controller = new AbortController();
    const stream = sdk.client.responses.stream({ input: 'talk forever' }, { signal: controller.signal });
    const seen: string[] = [];
    await expect(async () => {
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === 'response.output_text.delta') controller.abort();
      }
    }).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toContain('response.output_text.delta');
    const run = await sdk.client.responses.poll(stream.responseId as string, { intervalMs: 50 });
    expect(run.status).toBe('cancelled');
  });

  it('cancelOnAbort: false only stops reading; the run goes on', async () => {
    sdk.fake.enqueue({ text: 'one two three four five six', chunkDelayMs: 20 });
    const controller = new AbortController();
    const stream = sdk.client.responses.stream(
      { input: 'talk' },
      { signal: controller.signal, cancelOnAbort: false },
    );
    await expect(async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') controller.abort();
    }).rejects.toMatchObject({ name: 'AbortError' });
    const run = await sdk.client.responses.poll(stream.responseId as string, { intervalMs: 50 });
    expect(run.status).toBe('completed');
  });

  it('polls a background run to its end', async () => {
    sdk.fake.enqueue({ text: 'later', chunkDelayMs: 10 });
    const queued = await sdk.client.responses.create({ input: 'in the background', background: true });
    expect(['queued', 'in_progress']).toContain(queued.status);
    const done = await sdk.client.responses.poll(queued.id, { intervalMs: 50 });
    expect(done.status).toBe('completed');
    expect(done.output.some((item) => item.type === 'message')).toBe(true);
  });
});
