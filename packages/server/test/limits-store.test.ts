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

// One contract, both implementations.
describe.each(IMPLEMENTATIONS)('rate-limit store: %s', (name, open) => {
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

describe('rate-limit store in Redis', () => {
  it('is one count for every process', async () => {
    const [a, b, c] = [await redisStore(), await redisStore(), await redisStore()];
    const key = 'shared:one';
    const answers = [];
    for (const store of [a, b, c, a, b, c]) answers.push((await store.consume(key, 4, 60)).allowed);
    expect(answers).toEqual([true, true, true, true, false, false]);
  });

  it('still limits, per process, while Redis cannot be reached', async () => {
    // Nothing listens on port 1: every command fails at once, and the in-memory insurance counts instead.
    const store = await redisStore('redis://127.0.0.1:1');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await store.consume('unreachable', 2, 60)).allowed);
    expect(answers).toEqual([true, true, false]);
  });
});
