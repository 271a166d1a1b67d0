/**
 * followRun against a log in memory and the in-process bus (or a bus that
 * loses events, or is down), and against Redis at 127.0.0.1:6379: what a
 * client streaming a run sees is every event once, in order, whatever the
 * bus does.
 */
import type { ResponseEvent, RunEventBus, RunEventListener } from '@agentd/spec';
import {
  completedEvent,
  deltaEvents,
  requireTestRedis,
  sequences,
  testRedisPrefix,
  testRunId,
} from '@agentd/testing';
import { describe, expect, it } from 'vitest';
import { followRun } from '../src/events/follow-run.js';
import { followersTicking } from '../src/events/follower-clock.js';
import { InProcessRunEventBus } from '../src/events/in-process-run-event-bus.js';
import { openRedisRunEventBus } from '../src/events/redis-run-event-bus.js';
import { memoryLog } from './support/memory-log.js';

/** A bus that can drop what is published, or be down, and counts its listeners. */
class FlakyBus implements RunEventBus {
  healthy = true;
  drop = (_events: readonly ResponseEvent[]) => false;
  private readonly inner = new InProcessRunEventBus();
  active = 0;

  async publish(runId: string, events: readonly ResponseEvent[]) {
    if (!this.healthy || this.drop(events)) return;
    await this.inner.publish(runId, events);
  }

  subscribe(runId: string, after: number, listener: RunEventListener) {
    this.active++;
    const stop = this.inner.subscribe(runId, after, listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      this.active--;
      stop();
    };
  }

  close() {
    return this.inner.close();
  }
}

async function collect(events: AsyncIterable<ResponseEvent>): Promise<ResponseEvent[]> {
  const all: ResponseEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Waits (turn by turn of the event loop, no timers) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if (condition()) return;
    await tick();
  }
  throw new Error('the condition never held');
}

/** Appends then publishes a run's events batch by batch, as the run recorder does, ending with its terminal event. */
async function writeRun(runId: string, bus: RunEventBus, log: ReturnType<typeof memoryLog>, batches: number) {
  for (let batch = 0; batch < batches; batch++) {
    const events = deltaEvents(batch * 3 + 1, batch * 3 + 3);
    log.append(events);
    await tick();
    await bus.publish(runId, events);
    await tick();
  }
  const end = completedEvent(runId, batches * 3 + 1);
  log.append([end]);
  await bus.publish(runId, [end]);
}

describe('followRun', () => {
  it('joins the log and the live events without a gap or a repeat, wherever the seam falls', async () => {
    for (let joinAt = 0; joinAt < 12; joinAt++) {
      const runId = testRunId();
      const bus = new FlakyBus();
      const log = memoryLog();
      const writing = writeRun(runId, bus, log, 10);
      for (let wait = 0; wait < joinAt; wait++) await tick();
      const followed = await collect(followRun({ bus, log: log.read, runId, after: 0, pollMs: 60_000 }));
      await writing;
      expect(sequences(followed)).toEqual(range(1, 31));
      expect(followed.at(-1)?.type).toBe('response.completed');
      expect(bus.active).toBe(0);
    }
  });

  it('joins the log and Redis live events without a gap or a repeat, followers joining all along the run', async () => {
    const url = await requireTestRedis();
    const prefix = testRedisPrefix('follow-run');
    const worker = await openRedisRunEventBus({ url, prefix });
    const api = await openRedisRunEventBus({ url, prefix });
    try {
      for (let round = 0; round < 5; round++) {
        const runId = testRunId();
        const log = memoryLog();
        const followers: Promise<ResponseEvent[]>[] = [];
        const follow = () =>
          followers.push(collect(followRun({ bus: api, log: log.read, runId, after: 0, quietMs: 60_000 })));
        follow();
        for (let batch = 0; batch < 20; batch++) {
          const events = deltaEvents(batch * 3 + 1, batch * 3 + 3);
          log.append(events);
          if (batch % 4 === round % 4) follow(); // between the write and the publish: the seam
          await worker.publish(runId, events);
          if (batch % 3 === 0) follow();
        }
        const end = completedEvent(runId, 61);
        log.append([end]);
        await worker.publish(runId, [end]);
        for (const followed of await Promise.all(followers))
          expect(sequences(followed)).toEqual(range(1, 61));
      }
    } finally {
      await Promise.all([worker.close(), api.close()]);
    }
  });

  it('starts after the sequence number it is given', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    const log = memoryLog();
    await writeRun(runId, bus, log, 3);
    const followed = await collect(followRun({ bus, log: log.read, runId, after: 5, pollMs: 60_000 }));
    expect(sequences(followed)).toEqual([6, 7, 8, 9, 10]);
  });

  it('fills a gap in the live events from the log', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    const log = memoryLog();
    // The bus loses the batches holding 4 to 9, as a Redis restart would.
    bus.drop = (events) => events.some((event) => event.sequence_number >= 4 && event.sequence_number <= 9);
    const following = collect(followRun({ bus, log: log.read, runId, after: 0, pollMs: 60_000 }));
    await tick();
    await writeRun(runId, bus, log, 5);
    expect(sequences(await following)).toEqual(range(1, 16));
    expect(bus.active).toBe(0);
  });

  it('reads the log every pollMs while the bus is down, and ends with the run', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    bus.healthy = false;
    const log = memoryLog();
    const following = collect(followRun({ bus, log: log.read, runId, after: 0, pollMs: 10 }));
    for (let batch = 0; batch < 5; batch++) {
      const before = log.reads;
      log.append(deltaEvents(batch * 3 + 1, batch * 3 + 3));
      await expect.poll(() => log.reads, { timeout: 5_000, interval: 2 }).toBeGreaterThan(before + 1);
    }
    log.append([completedEvent(runId, 16)]);
    expect(sequences(await following)).toEqual(range(1, 16));
  });

  it('reads the log when a healthy bus stays quiet for quietMs (it lost everything)', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    bus.drop = () => true;
    const log = memoryLog();
    const following = collect(
      followRun({ bus, log: log.read, runId, after: 0, pollMs: 60_000, quietMs: 20 }),
    );
    await writeRun(runId, bus, log, 4);
    expect(sequences(await following)).toEqual(range(1, 13));
  });

  it('reads the log within pollMs when a quiet, healthy bus goes down, without waiting out quietMs', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    const log = memoryLog();
    const following = collect(
      followRun({ bus, log: log.read, runId, after: 0, pollMs: 10, quietMs: 600_000 }),
    );
    await until(() => log.reads === 1);
    // The bus goes down; the run's events reach only the log.
    bus.healthy = false;
    log.append(deltaEvents(1, 3));
    log.append([completedEvent(runId, 4)]);
    expect(sequences(await following)).toEqual(range(1, 4));
  });

  it('waits for the log to catch up with a gap instead of skipping it', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    const log = memoryLog();
    const followed: number[] = [];
    const following = (async () => {
      for await (const event of followRun({ bus, log: log.read, runId, after: 0, pollMs: 10 })) {
        followed.push(event.sequence_number);
      }
    })();
    log.append(deltaEvents(1, 2));
    await bus.publish(runId, deltaEvents(1, 2));
    await expect.poll(() => followed, { timeout: 5_000, interval: 2 }).toEqual([1, 2]);
    // 5 arrives live before 3 and 4 are readable (a replica behind, say): nothing past 2 is yielded until they are.
    await bus.publish(runId, deltaEvents(5, 5));
    const reads = log.reads;
    await expect.poll(() => log.reads, { timeout: 5_000, interval: 2 }).toBeGreaterThan(reads + 2);
    expect(followed).toEqual([1, 2]);
    log.append([...deltaEvents(3, 5), completedEvent(runId, 6)]);
    await following;
    expect(followed).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('tells onLogError about a failed read and tries again', async () => {
    const runId = testRunId();
    const bus = new FlakyBus();
    bus.healthy = false;
    const log = memoryLog();
    log.append(deltaEvents(1, 2));
    let failNext = 0;
    const errors: unknown[] = [];
    const read = async (after: number) => {
      if (failNext > 0) {
        failNext--;
        throw new Error('the database is restarting');
      }
      return log.read(after);
    };
    const followed: number[] = [];
    const following = (async () => {
      for await (const event of followRun({
        bus,
        log: read,
        runId,
        after: 0,
        pollMs: 10,
        onLogError: (error) => errors.push(error),
      })) {
        followed.push(event.sequence_number);
        if (event.sequence_number === 2) failNext = 3;
      }
    })();
    await expect.poll(() => errors.length, { timeout: 5_000, interval: 2 }).toBe(3);
    log.append([deltaEvents(3, 3)[0] as ResponseEvent, completedEvent(runId, 4)]);
    await following;
    expect(followed).toEqual([1, 2, 3, 4]);
    expect(String(errors[0])).toContain('the database is restarting');
  });

  it('throws when the first read of the log fails, and lets go of the bus', async () => {
    const bus = new FlakyBus();
    const iteration = collect(
      followRun({
        bus,
        log: async () => {
          throw new Error('no database');
        },
        runId: testRunId(),
        after: 0,
      }),
    );
    await expect(iteration).rejects.toThrow('no database');
    expect(bus.active).toBe(0);
  });

  describe('letting go', () => {
    it('lets go of its listener and its place on the clock when the consumer stops early', async () => {
      const runId = testRunId();
      const bus = new FlakyBus();
      const log = memoryLog();
      log.append(deltaEvents(1, 3));
      const ticking = followersTicking();
      const seen: number[] = [];
      for await (const event of followRun({ bus, log: log.read, runId, after: 0, pollMs: 60_000 })) {
        seen.push(event.sequence_number);
        if (seen.length === 3) break; // stopped while the log's events are yielded
      }
      expect(seen).toEqual([1, 2, 3]);
      expect(bus.active).toBe(0);
      expect(followersTicking()).toBe(ticking);

      // Stopped after a live event, the follower having waited on the clock for it.
      const waiting = followRun({ bus, log: log.read, runId, after: 3, pollMs: 60_000 });
      const next = waiting.next();
      await until(() => followersTicking() === ticking + 1 && log.reads === 2);
      await bus.publish(runId, deltaEvents(4, 4));
      expect((await next).value?.sequence_number).toBe(4);
      await waiting.return();
      expect(bus.active).toBe(0);
      expect(followersTicking()).toBe(ticking);
    });

    it('ends when its signal aborts while waiting, and lets go of everything', async () => {
      const runId = testRunId();
      const bus = new FlakyBus();
      const log = memoryLog();
      log.append(deltaEvents(1, 2));
      const ticking = followersTicking();
      const controller = new AbortController();
      const followed: number[] = [];
      const following = (async () => {
        for await (const event of followRun({
          bus,
          log: log.read,
          runId,
          after: 0,
          signal: controller.signal,
          pollMs: 60_000,
        })) {
          followed.push(event.sequence_number);
        }
      })();
      await until(() => followed.length === 2);
      controller.abort();
      await following;
      expect(followed).toEqual([1, 2]);
      expect(bus.active).toBe(0);
      expect(followersTicking()).toBe(ticking);
    });
  });

  it('yields nothing and holds nothing when the signal has already aborted', async () => {
    const bus = new FlakyBus();
    const log = memoryLog();
    log.append(deltaEvents(1, 2));
    const followed = await collect(
      followRun({ bus, log: log.read, runId: testRunId(), after: 0, signal: AbortSignal.abort() }),
    );
    expect(followed).toEqual([]);
    expect(log.reads).toBe(0);
    expect(bus.active).toBe(0);
  });
});
