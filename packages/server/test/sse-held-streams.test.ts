/**
 * Held SSE streams of a response (GET /v1/responses/{id}?stream=true) on a
 * real server: written straight to the socket with the middleware's headers,
 * kept alive by the process's heartbeat wheel, and released (follower, place
 * on the wheel, agentd_open_streams) when their client goes; a client that
 * stops reading while the run writes a long answer still gets all of it,
 * once, in order.
 */
import { request } from 'node:http';
import { followersTicking } from '@agentd/runtime';
import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/test-server';
import { readSse } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeartbeatWheel } from '../src/http/sse/heartbeat-wheel.js';
import { parsePrometheusText } from './support/prometheus-text.js';

const HEARTBEAT_MS = 100;

describe('held response streams', () => {
  let agentd: AgentdWithFakeModel;

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({
      backend: 'pglite',
      env: { AGENTD_SSE_HEARTBEAT_MS: String(HEARTBEAT_MS) },
    });
  });
  afterAll(async () => {
    await agentd?.close();
  });

  const openStreams = async () => {
    const text = await (await fetch(`${agentd.server.url}/metrics`)).text();
    return parsePrometheusText(text).find('agentd_open_streams')[0]?.value;
  };

  /** Opens a stream of `id` and reads it until its first heartbeat. */
  async function holdStream(id: string) {
    const stop = new AbortController();
    const response = await fetch(`${agentd.baseURL}/responses/${id}?stream=true`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
      signal: stop.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': keep-alive\n\n')) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the stream ended before a heartbeat: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return { stop, reader, text };
  }

  it('keeps streams of a waiting run alive with heartbeats, and lets go of each one its client closes', async () => {
    const wheel = HeartbeatWheel.every(HEARTBEAT_MS);
    const ticking = followersTicking();
    agentd.fake.reset();
    agentd.fake.enqueue({ text: 'never quite finished', hangAfterChunks: 1 });
    const created = await agentd.api.post('/v1/responses', { input: 'wait', background: true });
    expect(created.status).toBe(200);
    const id = created.body.id as string;

    const streams = await Promise.all(Array.from({ length: 5 }, () => holdStream(id)));
    for (const { text } of streams) expect(text).toContain('event: response.created');
    expect(await openStreams()).toBe(5);
    expect(wheel.size).toBe(5);
    expect(followersTicking()).toBe(ticking + 5);

    // Three clients go: their streams are released; the other two keep getting heartbeats.
    for (const stream of streams.slice(0, 3)) stream.stop.abort();
    await vi.waitFor(async () => expect(await openStreams()).toBe(2), { timeout: 10_000 });
    expect(wheel.size).toBe(2);
    expect(followersTicking()).toBe(ticking + 2);
    for (const { reader } of streams.slice(3)) {
      const decoder = new TextDecoder();
      let more = '';
      while (!more.includes(': keep-alive')) more += decoder.decode((await reader.read()).value);
    }

    // The run ends (cancelled): the streams still open get its end and close.
    const cancelled = await agentd.api.post(`/v1/responses/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    for (const { reader } of streams.slice(3)) {
      const decoder = new TextDecoder();
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        rest += decoder.decode(chunk.value, { stream: true });
      expect(rest).toContain('event: response.failed');
      expect(rest).toContain('"status":"cancelled"');
    }
    await vi.waitFor(async () => expect(await openStreams()).toBe(0), { timeout: 10_000 });
    expect(wheel.size).toBe(0);
    expect(followersTicking()).toBe(ticking);
  });

  it('gives a client that stopped reading the whole answer, once and in order, when it reads again', async () => {
    // About 3 MB of answer, more than the socket buffers hold, so the server must wait for the reader.
    const chunks = Array.from(
      { length: 300 },
      (_, i) => `${String(i).padStart(4, '0')}:${'x'.repeat(10_000)} `,
    );
    agentd.fake.reset();
    agentd.fake.enqueue({ chunks });
    const created = await agentd.api.post('/v1/responses', { input: 'a long one', background: true });
    const id = created.body.id as string;
    const url = new URL(`${agentd.baseURL}/responses/${id}?stream=true`);
    const body = await new Promise<string>((resolve, reject) => {
      const headers = { authorization: `Bearer ${agentd.server.adminKey}`, 'agentd-events': 'all' };
      const req = request(url, { headers }, (res) => {
        res.pause(); // the client reads nothing until the run has ended
        const pieces: Buffer[] = [];
        void (async () => {
          await vi.waitFor(
            async () => expect((await agentd.api.get(`/v1/responses/${id}`)).body.status).toBe('completed'),
            { timeout: 60_000, interval: 100 },
          );
          res.on('data', (piece: Buffer) => pieces.push(piece));
          res.on('end', () => resolve(Buffer.concat(pieces).toString('utf8')));
          res.resume();
        })().catch(reject);
      });
      req.on('error', reject);
      req.end();
    });
    const events = [...readSseText(body)];
    // Every event (agentd-events: all), so the ids run from 1 without a hole.
    const sequences = events.map((event) => event.id);
    expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
    const text = events
      .filter((event) => event.event === 'response.output_text.delta')
      .map((event) => (event.data as { delta: string }).delta)
      .join('');
    expect(text).toBe(chunks.join(''));
    expect(events.at(-1)?.event).toBe('response.completed');
  }, 120_000);

  it('ends a stream of a finished run after its last event, and resumes past a sequence number', async () => {
    agentd.fake.reset();
    agentd.fake.enqueue({ text: 'short and done' });
    const created = await agentd.api.post('/v1/responses', { input: 'hi' });
    expect(created.body.status).toBe('completed');
    const all = await fetch(`${agentd.baseURL}/responses/${created.body.id}?stream=true`, {
      headers: { authorization: `Bearer ${agentd.server.adminKey}` },
    });
    const events = [];
    for await (const event of readSse(all)) events.push(event);
    expect(events.at(-1)?.event).toBe('response.completed');
    const last = Number(events.at(-1)?.id);
    const after = await fetch(
      `${agentd.baseURL}/responses/${created.body.id}?stream=true&starting_after=${last - 1}`,
      { headers: { authorization: `Bearer ${agentd.server.adminKey}` } },
    );
    const resumed = [];
    for await (const event of readSse(after)) resumed.push(event);
    expect(resumed.map((event) => event.event)).toEqual(['response.completed']);
    expect(await openStreams()).toBe(0);
  });
});

/** The events of a whole SSE body: id, event and parsed data. */
function* readSseText(body: string): Generator<{ id: number; event: string; data: unknown }> {
  for (const block of body.split('\n\n')) {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    const id = /^id: (.*)$/m.exec(block)?.[1];
    if (event && data && id) yield { id: Number(id), event, data: JSON.parse(data) };
  }
}
