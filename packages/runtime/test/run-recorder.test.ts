/**
 * The recorder's write schedule: the first delta of an item goes out as soon
 * as it is persisted, and what arrives while a write is in flight is grouped
 * (deltas of one item merged into one event). The store here holds each
 * write until the test lets it finish, so what is in flight is known.
 */
import type { ResponseEvent, ResponseEventBody, ResponseObject } from '@agentd/spec';
import { describe, expect, it, vi } from 'vitest';
import { RunRecorder } from '../src/run-recorder.js';
import type { RunStore } from '../src/run-store.js';

const snapshot = (status: ResponseObject['status']) => ({ id: 'resp_1', status }) as ResponseObject;

function heldStore() {
  const writes: { events: ResponseEvent[]; done: () => void }[] = [];
  const store = {
    appendEvents: (_tenant: string, _id: string, events: ResponseEvent[]) =>
      new Promise<void>((resolve) => writes.push({ events, done: resolve })),
  } as unknown as RunStore;
  return { store, writes };
}

/** `followed`: what the bus says of live followers (RunEventBus.followedLive); absent, as a bus that cannot tell. */
function recorder(store: RunStore, followed?: () => boolean, options: { frameMs?: number } = {}) {
  const published: ResponseEvent[][] = [];
  const sink = new RunRecorder(
    store,
    {
      publish: (_, events) => void published.push([...events]),
      ...(followed ? { followedLive: () => followed() } : {}),
    },
    't',
    'resp_1',
    1,
    options,
  );
  return { sink, published };
}

const delta = (text: string, item = 'msg_1'): ResponseEventBody => ({
  type: 'response.output_text.delta',
  item_id: item,
  output_index: 0,
  content_index: 0,
  delta: text,
  logprobs: [],
});

describe('RunRecorder', () => {
  it('writes the first delta at once, with the opening events that wait for it', async () => {
    const { store, writes } = heldStore();
    const { sink, published } = recorder(store);
    sink.append({ type: 'response.in_progress', response: snapshot('in_progress') }, snapshot('in_progress'));
    // The opening event alone waits a frame for the first delta.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(0);
    sink.append(delta('Hel'), snapshot('in_progress'));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]!.events.map((event) => [event.type, event.sequence_number])).toEqual([
      ['response.in_progress', 2],
      ['response.output_text.delta', 3],
    ]);
    expect(published).toHaveLength(0);
    writes[0]!.done();
    await vi.waitFor(() => expect(published).toHaveLength(1));
  });

  it('merges the deltas of an item that arrive while a write is in flight, and numbers what follows after them', async () => {
    const { store, writes } = heldStore();
    const { sink, published } = recorder(store);
    sink.append(delta('a'), snapshot('in_progress'));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    for (const piece of ['b', 'c', 'd']) sink.append(delta(piece), snapshot('in_progress'));
    sink.append(delta('x', 'msg_2'), snapshot('in_progress'));
    const ended = snapshot('completed');
    sink.append({ type: 'response.completed', response: ended }, ended);
    const flushed = sink.flush();
    writes[0]!.done();
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    const second = writes[1]!.events;
    expect(second.map((event) => event.sequence_number)).toEqual([3, 4, 5]);
    expect(second[0]).toMatchObject({ type: 'response.output_text.delta', delta: 'bcd', item_id: 'msg_1' });
    expect(second[1]).toMatchObject({ delta: 'x', item_id: 'msg_2' });
    expect(second[2]!.type).toBe('response.completed');
    writes[1]!.done();
    await flushed;
    expect(published.flat().map((event) => event.sequence_number)).toEqual([2, 3, 4, 5]);
  });

  it('holds later events for a frame after a write, then writes them together', async () => {
    const { store, writes } = heldStore();
    const { sink } = recorder(store);
    sink.append(delta('a'), snapshot('in_progress'));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    writes[0]!.done();
    await new Promise((resolve) => setImmediate(resolve));
    sink.append(delta('b'), snapshot('in_progress'));
    sink.append(
      {
        type: 'response.output_text.done',
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        text: 'ab',
        logprobs: [],
      } as ResponseEventBody,
      snapshot('in_progress'),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[1]!.events.map((event) => event.type)).toEqual([
      'response.output_text.delta',
      'response.output_text.done',
    ]);
  });

  it('with no frame (scaled mode), writes what came during a write as soon as it ends, the opening events still waiting for the first delta', async () => {
    const { store, writes } = heldStore();
    const { sink, published } = recorder(store, undefined, { frameMs: 0 });
    sink.append({ type: 'response.in_progress', response: snapshot('in_progress') }, snapshot('in_progress'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(0);
    sink.append(delta('a'), snapshot('in_progress'));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    sink.append(delta('b'), snapshot('in_progress'));
    writes[0]!.done();
    await vi.waitFor(() => expect(writes).toHaveLength(2));
    expect(writes[1]!.events).toMatchObject([{ delta: 'b', sequence_number: 4 }]);
    writes[1]!.done();
    // Later events, just after the write ended, go at once too.
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toHaveLength(2);
    sink.append(delta('c'), snapshot('in_progress'));
    // No frame: written in the next turn of the event loop, not 10 ms later.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(3);
    expect(writes[2]!.events).toMatchObject([{ delta: 'c', sequence_number: 5 }]);
  });

  it('writes a fast turn of a run nobody follows live in one write, and at once again when a stream joins', async () => {
    const { store, writes } = heldStore();
    let followed = false;
    const { sink, published } = recorder(store, () => followed);
    sink.append({ type: 'response.in_progress', response: snapshot('in_progress') }, snapshot('in_progress'));
    sink.append(delta('Hel'), snapshot('in_progress'));
    sink.append(delta('lo'), snapshot('in_progress'));
    // The first delta waits for the frame, as the opening events do: no write yet.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(0);
    // A stream joins: the first delta of the next item goes out at once.
    followed = true;
    sink.append(delta('!', 'msg_2'), snapshot('in_progress'));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]!.events.map((event) => event.type)).toEqual([
      'response.in_progress',
      'response.output_text.delta',
      'response.output_text.delta',
    ]);
    writes[0]!.done();
    await vi.waitFor(() => expect(published).toHaveLength(1));
  });

  it('ends a run nobody follows live with one write when its turn ends within the frame', async () => {
    const { store, writes } = heldStore();
    const { sink, published } = recorder(store, () => false);
    sink.append({ type: 'response.in_progress', response: snapshot('in_progress') }, snapshot('in_progress'));
    sink.append(delta('Hello'), snapshot('in_progress'));
    const ended = snapshot('completed');
    sink.append({ type: 'response.completed', response: ended }, ended);
    const flushed = sink.flush();
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]!.events.map((event) => [event.type, event.sequence_number])).toEqual([
      ['response.in_progress', 2],
      ['response.output_text.delta', 3],
      ['response.completed', 4],
    ]);
    writes[0]!.done();
    await flushed;
    expect(writes).toHaveLength(1);
    expect(published.flat().map((event) => event.sequence_number)).toEqual([2, 3, 4]);
  });
});
