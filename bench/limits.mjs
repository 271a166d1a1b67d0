// What a rate-limit check costs on the request path: the latency of one
// RateLimitStore.consume in memory (embedded mode) and in Redis (scaled mode,
// the test Redis at 127.0.0.1:6379 or AGENTD_TEST_REDIS_URL), one at a time
// (p50, p99) and 64 at once (checks per second). A request with tenant, key
// and user limits makes three such checks. Needs a build (npx tsc -b).
//
//   node bench/limits.mjs            5000 checks per arm
//   node bench/limits.mjs --quick    1000

import { randomBytes } from 'node:crypto';
import { closeRedisConnection, createRedisConnection, untilReady } from '@agentd/runtime';
import {
  memoryRateLimitStore,
  redisRateLimitStore,
} from '../packages/server/dist/limits/rate-limit-store.js';

const N = process.argv.includes('--quick') ? 1000 : 5000;
const url = process.env.AGENTD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function measure(name, store) {
  // Warm up: the first checks of a key create it (and load the script into Redis).
  for (let i = 0; i < 200; i++) await store.consume(`bench:${i % 100}`, 1_000_000, 60);
  const latencies = [];
  for (let i = 0; i < N; i++) {
    const started = process.hrtime.bigint();
    await store.consume(`bench:${i % 100}`, 1_000_000, 60);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(3);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < N) await store.consume(`bench:${next++ % 100}`, 1_000_000, 60);
    }),
  );
  const perSecond = Math.round(N / ((performance.now() - started) / 1000));
  console.log(`${name.padEnd(7)} p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  64 in flight: ${perSecond} checks/s`);
}

await measure('memory', memoryRateLimitStore());
const redis = createRedisConnection(url, 'bench-limits');
await untilReady(redis, url, 5_000);
await measure(
  'redis',
  redisRateLimitStore(redis, `agentd-bench:${randomBytes(4).toString('hex')}:`, async () => undefined),
);
await closeRedisConnection(redis);
