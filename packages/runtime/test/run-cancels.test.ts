/**
 * The cancels contract on both implementations: in-process, and Redis at
 * 127.0.0.1:6379 on a channel of this file's own.
 */
import { describeRunCancelsContract, requireTestRedis, testRedisPrefix, testRunId } from '@agentd/testing';
import { describe, expect, it } from 'vitest';
import { InProcessRunCancels } from '../src/cancels/in-process-run-cancels.js';
import { openRedisRunCancels } from '../src/cancels/redis-run-cancels.js';

const prefix = testRedisPrefix('run-cancels');

describeRunCancelsContract('in-process', async () => {
  const cancels = new InProcessRunCancels();
  return { cancels, close: () => cancels.close() };
});

describeRunCancelsContract('Redis', async () => {
  const url = await requireTestRedis();
  const cancels = await openRedisRunCancels({ url, prefix });
  const peer = await openRedisRunCancels({ url, prefix });
  return { cancels, peer, close: async () => void (await Promise.all([cancels.close(), peer.close()])) };
});

describe('RedisRunCancels on Redis', () => {
  it('keeps deployments with different prefixes apart', async () => {
    const url = await requireTestRedis();
    const ours = await openRedisRunCancels({ url, prefix });
    const theirs = await openRedisRunCancels({ url, prefix: testRedisPrefix('other-deployment') });
    const heardByThem: string[] = [];
    const heardByUs: string[] = [];
    theirs.listen((runId) => heardByThem.push(runId));
    ours.listen((runId) => heardByUs.push(runId));
    const runId = testRunId();
    await ours.request(runId, 'stop');
    const probe = testRunId('probe');
    await theirs.request(probe, 'stop');
    await expect.poll(() => heardByThem, { timeout: 5_000, interval: 5 }).toContain(probe);
    await expect.poll(() => heardByUs, { timeout: 5_000, interval: 5 }).toContain(runId);
    expect(heardByThem).not.toContain(runId);
    await Promise.all([ours.close(), theirs.close()]);
  });

  it('refuses to open, naming the server, when Redis cannot be reached', async () => {
    await expect(
      openRedisRunCancels({ url: 'redis://127.0.0.1:1', prefix, connectTimeoutMs: 300 }),
    ).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1.* is not reachable/);
  });
});
