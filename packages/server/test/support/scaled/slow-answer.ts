import type { ApiClient, SseEvent } from '@agentd/testing';
import { expect } from 'vitest';
import type { AgentdProcess } from './agentd-process.js';
import { type HeldStream, oneTo, type ScaledCluster, waitFor, words } from './scaled-cluster.js';

export interface SlowAnswer {
  id: string;
  text: string;
  stream: HeldStream;
}

/**
 * A background run whose answer streams slowly on the model's first attempt
 * (fast on the next), followed on `api` until a few deltas reached the client.
 * The answer is longer than the 200 characters safety holds back.
 */
export async function slowAnswerUnderway(
  cluster: ScaledCluster,
  api: AgentdProcess,
  client: ApiClient,
  marker: string,
): Promise<SlowAnswer> {
  const text = Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ');
  cluster.script(marker, (_, attempt) => ({ chunks: words(text), chunkDelayMs: attempt === 1 ? 80 : 0 }));
  const created = await client.post('/v1/responses', { input: `talk ${marker}`, background: true });
  const stream = cluster.follow(api, created.body.id);
  await waitFor(
    'a few text deltas on the stream',
    () => stream.events.filter((event) => event.event === 'response.output_text.delta').length >= 3,
  );
  return { id: created.body.id, text, stream };
}

/**
 * The run completed with the whole answer, the held stream went on to its end,
 * and stream and log carry every sequence number once.
 */
export async function expectAnsweredInFull(
  cluster: ScaledCluster,
  client: ApiClient,
  answer: SlowAnswer,
): Promise<SseEvent[]> {
  const events = await answer.stream.done;
  expect(events.at(-1)?.event).toBe('response.completed');
  const log = await cluster.events(client, answer.id);
  expect(events.map((event) => Number(event.id))).toEqual(oneTo(log.length));
  expect(log.map((event) => event.sequence_number)).toEqual(oneTo(log.length));
  const final = await client.get(`/v1/responses/${answer.id}`);
  expect(final.body.status).toBe('completed');
  expect(final.body.output.filter((item: { superseded?: boolean }) => !item.superseded)).toMatchObject([
    { type: 'message', content: [{ type: 'output_text', text: answer.text }] },
  ]);
  return events;
}
