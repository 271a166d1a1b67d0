/**
 * Redis killed and restarted (empty) under a live run: a private
 * redis-server child process, a "worker" bus that publishes, an "API" bus
 * that a client follows the run through, and a log in memory standing in for
 * the database. While Redis is away publishing fails fast and the follower
 * reads the log; once it is back the buses recover on their own.
 */
import type { ResponseEvent } from '@agentd/spec';
import {
  completedEvent,
  deltaEvents,
  type RedisTestServer,
  recorder,
  startRedisTestServer,
  testRedisPrefix,
  testRunId,
} from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisRunCancels, type RedisRunCancels } from '../src/cancels/redis-run-cancels.js';
import { followRun } from '../src/events/follow-run.js';
import { openRedisRunEventBus, type RedisRunEventBus } from '../src/events/redis-run-event-bus.js';

const WAIT = { timeout: 10_000, interval: 5 };

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

describe('Redis restarted under a live run', () => {
  let redis: RedisTestServer;
  let worker: RedisRunEventBus;
  let api: RedisRunEventBus;
  let cancelsHere: RedisRunCancels;
  let cancelsThere: RedisRunCancels;
  beforeAll(async () => {
    redis = await startRedisTestServer();
    const prefix = testRedisPrefix('restart');
    [worker, api, cancelsHere, cancelsThere] = await Promise.all([
      openRedisRunEventBus({ url: redis.url, prefix }),
      openRedisRunEventBus({ url: redis.url, prefix }),
      openRedisRunCancels({ url: redis.url, prefix }),
      openRedisRunCancels({ url: redis.url, prefix }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([worker?.close(), api?.close(), cancelsHere?.close(), cancelsThere?.close()]);
    await redis?.close();
  });

  it('keeps every stream whole: the log fills the outage, and live delivery resumes without a repeat', async () => {
    const runId = testRunId();
    const log: ResponseEvent[] = [];
    const rejected: unknown[] = [];
    /** What the run recorder does: persist, then publish; a failed publish is logged and the run carries on. */
    const record = async (events: ResponseEvent[]) => {
      log.push(...events);
      await worker.publish(runId, events).catch((error: unknown) => rejected.push(error));
    };

    const followed: number[] = [];
    const following = (async () => {
      const events = followRun({
        bus: api,
        log: async (after) => log.filter((event) => event.sequence_number > after),
        runId,
        after: 0,
        pollMs: 50,
      });
      for await (const event of events) followed.push(event.sequence_number);
    })();
    const live = recorder();
    api.subscribe(runId, 0, live.listener);

    for (let first = 1; first <= 10; first += 2) await record(deltaEvents(first, first + 1));
    await expect.poll(() => followed, WAIT).toEqual(range(1, 10));
    await expect.poll(() => live.sequences(), WAIT).toEqual(range(1, 10));
    expect(rejected).toEqual([]);

    await redis.kill();
    await expect.poll(() => [worker.healthy, api.healthy], WAIT).toEqual([false, false]);

    // Publishing fails fast, and never reaches the run: the events are in the log.
    const started = performance.now();
    await expect(worker.publish(runId, deltaEvents(11, 11))).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(200);
    for (let first = 11; first <= 20; first += 2) await record(deltaEvents(first, first + 1));
    expect(rejected).toHaveLength(5);
    // The follower reads them from the log while the bus is down.
    await expect.poll(() => followed, WAIT).toEqual(range(1, 20));
    // A listener that comes while Redis is away is subscribed once it is back.
    const lateComer = recorder();
    api.subscribe(runId, 20, lateComer.listener);

    await redis.restart();
    await expect.poll(() => [worker.healthy, api.healthy], WAIT).toEqual([true, true]);

    // Live delivery resumes on both listeners: each sequence number once, in order (the outage is a gap).
    await record(deltaEvents(21, 22));
    await expect.poll(() => live.sequences().at(-1), WAIT).toBe(22);
    await expect.poll(() => lateComer.sequences(), WAIT).toEqual([21, 22]);
    expect(live.sequences()).toEqual([...range(1, 10), 21, 22]);
    for (let first = 23; first <= 30; first += 2) await record(deltaEvents(first, first + 1));
    await record([completedEvent(runId, 31)]);
    await expect.poll(() => live.sequences().at(-1), WAIT).toBe(31);
    expect(live.sequences()).toEqual([...range(1, 10), ...range(21, 31)]);
    expect(lateComer.sequences()).toEqual(range(21, 31));
    expect(rejected).toHaveLength(5);

    // The client's stream never lost or repeated an event across the outage.
    await following;
    expect(followed).toEqual(range(1, 31));
  });

  it('rejects a cancel at once while Redis is away, and carries cancels again once it is back', async () => {
    const heard: string[] = [];
    cancelsHere.listen((runId) => heard.push(runId));
    const before = testRunId('before');
    await cancelsThere.request(before, 'stop');
    await expect.poll(() => heard, WAIT).toContain(before);

    await redis.kill();
    await expect.poll(() => [cancelsHere.healthy, cancelsThere.healthy], WAIT).toEqual([false, false]);
    const started = performance.now();
    await expect(cancelsThere.request(testRunId('during'), 'stop')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(200);

    await redis.restart();
    await expect.poll(() => [cancelsHere.healthy, cancelsThere.healthy], WAIT).toEqual([true, true]);
    // Healthy means subscribed again: the first cancel after it is heard.
    const after = testRunId('after');
    await cancelsThere.request(after, 'stop');
    await expect.poll(() => heard, WAIT).toContain(after);
    const last = testRunId('last');
    await cancelsThere.request(last, 'stop');
    await expect.poll(() => heard, WAIT).toContain(last);
    expect(heard.filter((runId) => runId === last)).toHaveLength(1);
  });

  it('closes at once while Redis is away, and stays closed when it comes back', async () => {
    const prefix = testRedisPrefix('closing');
    const bus = await openRedisRunEventBus({ url: redis.url, prefix });
    const cancels = await openRedisRunCancels({ url: redis.url, prefix });
    bus.subscribe(testRunId(), 0, () => {});
    await redis.kill();
    await expect.poll(() => [bus.healthy, cancels.healthy], WAIT).toEqual([false, false]);
    const started = performance.now();
    await Promise.all([bus.close(), cancels.close()]);
    expect(performance.now() - started).toBeLessThan(500);
    await redis.restart();
    await expect.poll(() => [worker.healthy, api.healthy], WAIT).toEqual([true, true]);
    expect([bus.healthy, cancels.healthy]).toEqual([false, false]);
  });
});
