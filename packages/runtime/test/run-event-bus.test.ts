/**
 * The run event bus contract on both implementations (in-process, and Redis
 * at 127.0.0.1:6379 under a prefix of this file's own), and what only the
 * Redis bus does: its streams, their trimming, and its connections.
 */
import {
  completedEvent,
  deltaEvents,
  describeRunEventBusContract,
  recorder,
  requireTestRedis,
  testRedisPrefix,
  testRunId,
} from '@agentd/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InProcessRunEventBus } from '../src/events/in-process-run-event-bus.js';
import { openRedisRunEventBus, type RedisRunEventBus } from '../src/events/redis-run-event-bus.js';

const prefix = testRedisPrefix('run-event-bus');
const redisUrl = () => requireTestRedis();

describeRunEventBusContract(
  'in-process',
  async () => {
    const bus = new InProcessRunEventBus();
    return { bus, close: () => bus.close() };
  },
  { replays: false },
);

describe('in-process bus: who follows a run live', () => {
  it('counts a listener that takes events as they come, not one that waits only for the end', () => {
    const bus = new InProcessRunEventBus();
    const runId = testRunId();
    expect(bus.followedLive(runId)).toBe(false);
    const stopWaiting = bus.subscribe(runId, 0, () => undefined, { endOnly: true });
    expect(bus.followedLive(runId)).toBe(false);
    const stopStreaming = bus.subscribe(runId, 0, () => undefined);
    expect(bus.followedLive(runId)).toBe(true);
    expect(bus.followedLive(testRunId())).toBe(false);
    stopStreaming();
    expect(bus.followedLive(runId)).toBe(false);
    stopWaiting();
  });
});

describeRunEventBusContract(
  'Redis',
  async () => {
    const url = await redisUrl();
    const bus = await openRedisRunEventBus({ url, prefix });
    const peer = await openRedisRunEventBus({ url, prefix });
    return { bus, peer, close: async () => void (await Promise.all([bus.close(), peer.close()])) };
  },
  { replays: true },
);

describe('RedisRunEventBus on Redis', () => {
  let redis: Redis;
  let bus: RedisRunEventBus;
  beforeAll(async () => {
    const url = await redisUrl();
    redis = new Redis(url);
    bus = await openRedisRunEventBus({ url, prefix, maxLen: 100, endedTtlSeconds: 30 });
  });
  afterAll(async () => {
    await bus?.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  it("keeps a run's events in its stream under their sequence numbers, until the run ends", async () => {
    const runId = testRunId();
    const key = `${prefix}run:${runId}`;
    await bus.publish(runId, deltaEvents(1, 3));
    const entries = await redis.xrange(key, '-', '+');
    expect(entries.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    expect(JSON.parse(entries[1]?.[1][1] ?? 'null')).toEqual(deltaEvents(2, 2)[0]);
    expect(await redis.ttl(key)).toBe(-1);
    await bus.publish(runId, [...deltaEvents(4, 4), completedEvent(runId, 5)]);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('caps a stream at about maxLen entries, keeping the newest', async () => {
    const runId = testRunId();
    for (let first = 1; first <= 1_000; first += 100)
      await bus.publish(runId, deltaEvents(first, first + 99));
    const key = `${prefix}run:${runId}`;
    const length = await redis.xlen(key);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(400);
    const [newest] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
    expect(newest?.[0]).toBe('1000-0');
  });

  it('replays only what the stream still holds: a follower learns of the rest by the gap', async () => {
    const runId = testRunId();
    for (let first = 1; first <= 1_000; first += 100)
      await bus.publish(runId, deltaEvents(first, first + 99));
    const late = recorder();
    const stop = bus.subscribe(runId, 0, late.listener);
    await vi.waitFor(() => expect(late.sequences().at(-1)).toBe(1_000), { timeout: 5_000, interval: 5 });
    const got = late.sequences();
    expect(got[0]).toBeGreaterThan(1);
    expect(got).toEqual(Array.from({ length: got.length }, (_, index) => (got[0] ?? 0) + index));
    stop();
  });

  it('subscribes to a run once, and unsubscribes after its last listener left', async () => {
    const runId = testRunId();
    const channel = `${prefix}run:${runId}`;
    const numsub = async () => Number((await redis.pubsub('NUMSUB', channel))[1]);
    const stops = [bus.subscribe(runId, 0, () => {}), bus.subscribe(runId, 0, () => {})];
    await vi.waitFor(async () => expect(await numsub()).toBe(1), { timeout: 5_000, interval: 5 });
    stops[0]?.();
    expect(await numsub()).toBe(1);
    stops[1]?.();
    await vi.waitFor(async () => expect(await numsub()).toBe(0), { timeout: 5_000, interval: 5 });
  });

  it('leaves no channel behind when the only listener leaves before its SUBSCRIBE is acknowledged', async () => {
    const numsub = async (runId: string) =>
      Number((await redis.pubsub('NUMSUB', `${prefix}run:${runId}`))[1]);
    const runId = testRunId('hasty');
    bus.subscribe(runId, 0, () => {})();
    // A later subscription on the same connection: once it is in, the hasty one was too.
    const probe = testRunId('probe');
    const stopProbe = bus.subscribe(probe, 0, () => {});
    await vi.waitFor(async () => expect(await numsub(probe)).toBe(1), { timeout: 5_000, interval: 5 });
    await vi.waitFor(async () => expect(await numsub(runId)).toBe(0), { timeout: 5_000, interval: 5 });
    stopProbe();
  });

  it('closes both its connections', async () => {
    const url = await redisUrl();
    const own = await openRedisRunEventBus({ url, prefix });
    const clients = async () => (await redis.client('LIST')) as string;
    const before = (await clients())
      .split('\n')
      .filter((line) => line.includes('name=agentd-run-events')).length;
    await own.close();
    expect(own.healthy).toBe(false);
    await vi.waitFor(
      async () =>
        expect(
          (await clients()).split('\n').filter((line) => line.includes('name=agentd-run-events')).length,
        ).toBe(before - 2),
      { timeout: 5_000, interval: 10 },
    );
  });

  it('refuses to open, naming the server, when Redis is not there', async () => {
    const started = Date.now();
    await expect(
      openRedisRunEventBus({ url: 'redis://:secret@127.0.0.1:1', prefix, connectTimeoutMs: 300 }),
    ).rejects.toThrow(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1.* is not reachable/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
