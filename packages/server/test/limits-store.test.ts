import { closeRedisConnection, createRedisConnection, untilReady } from '@agentd/runtime';
import { requireTestRedis, testRedisPrefix } from '@agentd/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  memoryRateLimitStore,
  type RateLimitStore,
  redisRateLimitStore,
} from '../src/limits/rate-limit-store.js';

const connections: Redis[] = [];
let redisUrl: string;
let prefix: string;

beforeAll(async () => {
  redisUrl = await requireTestRedis();
  prefix = testRedisPrefix('limits');
});
afterAll(async () => {
  for (const redis of connections) await closeRedisConnection(redis);
});

/** A store on a connection of its own: two of them are two processes. */
async function redisStore(url = redisUrl): Promise<RateLimitStore> {
  const redis = createRedisConnection(url, 'limits-test');
  connections.push(redis);
  if (url === redisUrl) await untilReady(redis, url, 5_000);
  return redisRateLimitStore(redis, prefix, async () => undefined);
}

const IMPLEMENTATIONS: [string, () => Promise<RateLimitStore>][] = [
  ['memory', async () => memoryRateLimitStore()],
  ['redis', () => redisStore()],
];

// Quotas are fixed windows (a UTC day): one contract, both implementations.
describe.each(IMPLEMENTATIONS)('quota counters: %s', (name, open) => {
  it('lets `limit` requests through a window, then refuses until it resets', async () => {
    const store = await open();
    const key = `contract:${name}:a`;
    const first = await store.consume(key, 3, 60);
    expect(first).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    expect(first.resetMs).toBeGreaterThan(59_000);
    expect(first.resetMs).toBeLessThanOrEqual(60_000);
    expect((await store.consume(key, 3, 60)).remaining).toBe(1);
    expect((await store.consume(key, 3, 60)).remaining).toBe(0);
    const refused = await store.consume(key, 3, 60);
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    expect(refused.resetMs).toBeGreaterThan(0);
    expect(refused.resetMs).toBeLessThanOrEqual(60_000);
  });

  it('counts each key on its own, and a changed limit afresh', async () => {
    const store = await open();
    expect((await store.consume(`contract:${name}:b`, 1, 60)).allowed).toBe(true);
    expect((await store.consume(`contract:${name}:b`, 1, 60)).allowed).toBe(false);
    expect((await store.consume(`contract:${name}:c`, 1, 60)).allowed).toBe(true);
    expect(await store.consume(`contract:${name}:b`, 5, 60)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('takes several points at once', async () => {
    const store = await open();
    expect(await store.consume(`contract:${name}:d`, 10, 60, 7)).toMatchObject({
      allowed: true,
      remaining: 3,
    });
    expect((await store.consume(`contract:${name}:d`, 10, 60, 4)).allowed).toBe(false);
  });
});

// Rate limits are token buckets: the same contract on both.
describe.each(IMPLEMENTATIONS)('token buckets: %s', (name, open) => {
  it('lets `limit` through at once, then refuses, and says when a token is back and when it is full', async () => {
    const store = await open();
    const rate = { limit: 3, perSeconds: 60 };
    const first = await store.take(`bucket:${name}:a`, rate);
    expect(first).toMatchObject({ allowed: true, limit: 3, remaining: 2, retryAfterMs: 0 });
    // One token back every 20 s: the bucket is full again 20 s after one was taken.
    expect(first.resetMs).toBeGreaterThan(19_000);
    expect(first.resetMs).toBeLessThanOrEqual(20_000);
    expect((await store.take(`bucket:${name}:a`, rate)).remaining).toBe(1);
    expect((await store.take(`bucket:${name}:a`, rate)).remaining).toBe(0);
    const refused = await store.take(`bucket:${name}:a`, rate);
    expect(refused).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    expect(refused.retryAfterMs).toBeGreaterThan(15_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(refused.resetMs).toBeGreaterThan(55_000);
    expect(refused.resetMs).toBeLessThanOrEqual(60_000);
  });

  it('keeps each key and each rate apart, takes several points, and never fits more than the limit', async () => {
    const store = await open();
    const one = { limit: 1, perSeconds: 60 };
    expect((await store.take(`bucket:${name}:b`, one)).allowed).toBe(true);
    expect((await store.take(`bucket:${name}:b`, one)).allowed).toBe(false);
    expect((await store.take(`bucket:${name}:c`, one)).allowed).toBe(true);
    expect(await store.take(`bucket:${name}:b`, { limit: 5, perSeconds: 60 })).toMatchObject({
      allowed: true,
      remaining: 4,
    });
    const ten = { limit: 10, perSeconds: 60 };
    expect(await store.take(`bucket:${name}:d`, ten, 7)).toMatchObject({ allowed: true, remaining: 3 });
    expect((await store.take(`bucket:${name}:d`, ten, 4)).allowed).toBe(false);
    const tooMany = await store.take(`bucket:${name}:e`, ten, 11);
    expect(tooMany).toMatchObject({ allowed: false, remaining: 10, retryAfterMs: 60_000 });
  });
});

describe('token buckets in memory', () => {
  it('refill evenly: a burst at the end of one window and another at the start of the next do not both pass', async () => {
    let now = 1_000_000;
    const store = memoryRateLimitStore(() => now);
    const rate = { limit: 10, perSeconds: 10 };
    const passed = async (count: number) => {
      let allowed = 0;
      for (let i = 0; i < count; i++) if ((await store.take('edge', rate)).allowed) allowed++;
      return allowed;
    };
    now += 9_900; // late in a 10 s window a fixed window would have counted from 0
    expect(await passed(10)).toBe(10);
    now += 200; // just past that window's edge: a fixed window would let 10 more through
    expect(await passed(10)).toBe(0);
    now += 1_000; // a token per second comes back, one at a time
    expect(await passed(10)).toBe(1);
    now += 60_000; // never more than the limit, however long it rests
    expect(await passed(20)).toBe(10);
  });
});

describe('rate-limit store in Redis', () => {
  it('is one bucket for every process, refilled by Redis time', async () => {
    const [a, b, c] = [await redisStore(), await redisStore(), await redisStore()];
    const key = 'shared:one';
    const rate = { limit: 4, perSeconds: 3600 };
    const answers = [];
    for (const store of [a, b, c, a, b, c]) answers.push((await store.take(key, rate)).allowed);
    expect(answers).toEqual([true, true, true, true, false, false]);

    // Two tokens per 4 s: once one is back (seen by one process) the other finds none.
    const fast = { limit: 2, perSeconds: 4 };
    expect((await a.take('shared:refill', fast)).allowed).toBe(true);
    expect((await b.take('shared:refill', fast)).allowed).toBe(true);
    const refused = await c.take('shared:refill', fast);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2_000);
    await expect
      .poll(async () => (await c.take('shared:refill', fast)).allowed, { timeout: 10_000, interval: 100 })
      .toBe(true);
    expect((await a.take('shared:refill', fast)).allowed).toBe(false);
  });

  it('is one quota count for every process', async () => {
    const [a, b, c] = [await redisStore(), await redisStore(), await redisStore()];
    const answers = [];
    for (const store of [a, b, c, a, b, c])
      answers.push((await store.consume('shared:quota', 4, 60)).allowed);
    expect(answers).toEqual([true, true, true, true, false, false]);
  });

  it('still limits, per process, while Redis cannot be reached', async () => {
    // Nothing listens on port 1: every command fails at once, and in-memory buckets and counters count instead.
    const store = await redisStore('redis://127.0.0.1:1');
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push((await store.take('unreachable', { limit: 2, perSeconds: 60 })).allowed);
    expect(answers).toEqual([true, true, false]);
    const quota = [];
    for (let i = 0; i < 3; i++) quota.push((await store.consume('unreachable', 2, 60)).allowed);
    expect(quota).toEqual([true, true, false]);
  });
});
