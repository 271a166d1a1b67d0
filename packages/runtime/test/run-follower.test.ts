/**
 * RunFollower, the push form of followRun that a held SSE stream uses: a
 * reader that falls behind costs a bounded queue and still gets every event
 * once, in order; many followers of one run share one Redis subscription;
 * a closed follower holds nothing.
 */
import { completedEvent, deltaEvents, requireTestRedis, testRedisPrefix, testRunId } from '@agentd/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { followersTicking } from '../src/events/follower-clock.js';
import { InProcessRunEventBus } from '../src/events/in-process-run-event-bus.js';
import { openRedisRunEventBus } from '../src/events/redis-run-event-bus.js';
import { RunFollower, type RunFollowerOptions } from '../src/events/run-follower.js';
import { memoryLog } from './support/memory-log.js';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 20_000; turn++) {
    if (await condition()) return;
    await tick();
  }
  throw new Error('the condition never held');
}

/**
 * A started follower of `runId` from the start that records the sequence
 * numbers it is given; `keepUp` answers whether its reader takes the next
 * event at once. It reads the log every minute unless `timing` says otherwise.
 */
function follow(
  bus: RunFollowerOptions['bus'],
  log: ReturnType<typeof memoryLog>,
  runId: string,
  keepUp: () => boolean = () => true,
  timing: Pick<RunFollowerOptions, 'pollMs' | 'quietMs'> = { pollMs: 60_000 },
) {
  const seen: number[] = [];
  let ended = false;
  const follower = new RunFollower({
    bus,
    log: log.read,
    runId,
    after: 0,
    ...timing,
    onEvent: (event) => {
      seen.push(event.sequence_number);
      return keepUp();
    },
    onEnd: () => {
      ended = true;
    },
  });
  follower.start();
  return { follower, seen, ended: () => ended };
}

describe('RunFollower', () => {
  it('holds a bounded queue for a reader that falls behind, then gives it every event once, in order, from the log', async () => {
    const runId = testRunId();
    const bus = new InProcessRunEventBus();
    const log = memoryLog();
    let behind = true;
    let mostHeld = 0;
    const { follower, seen, ended } = follow(bus, log, runId, () => !behind);
    await until(() => log.reads === 1);
    // 2,000 events and the run's end are written and published while the reader takes none.
    for (let batch = 0; batch < 200; batch++) {
      const events = deltaEvents(batch * 10 + 1, batch * 10 + 10);
      log.events.push(...events);
      await bus.publish(runId, events);
      mostHeld = Math.max(mostHeld, follower.held);
    }
    const end = completedEvent(runId, 2_001);
    log.events.push(end);
    await bus.publish(runId, [end]);
    expect(seen).toEqual([1]); // the first, then it said it was behind
    expect(mostHeld).toBeLessThanOrEqual(256);
    expect(ended()).toBe(false);

    behind = false;
    follower.resume();
    await until(ended);
    expect(seen).toEqual(range(1, 2_001));
    expect(log.reads).toBeGreaterThan(1); // what was dropped came from the log
    await bus.close();
  });

  it('waits for its reader between events: nothing is delivered until resume()', async () => {
    const runId = testRunId();
    const bus = new InProcessRunEventBus();
    const log = memoryLog();
    const { follower, seen } = follow(bus, log, runId, () => false);
    await until(() => log.reads === 1);
    log.events.push(...deltaEvents(1, 3));
    await bus.publish(runId, deltaEvents(1, 3));
    expect(seen).toEqual([1]);
    expect(follower.held).toBe(2);
    follower.resume();
    expect(seen).toEqual([1, 2]);
    follower.resume();
    follower.resume();
    expect(seen).toEqual([1, 2, 3]);
    follower.close();
    await bus.close();
  });

  it('serves many followers of one run from one Redis subscription, and lets go of it when they close', async () => {
    const url = await requireTestRedis();
    const prefix = testRedisPrefix('run-follower');
    const worker = await openRedisRunEventBus({ url, prefix });
    const api = await openRedisRunEventBus({ url, prefix });
    const redis = new Redis(url);
    const runId = testRunId();
    const channel = `${prefix}run:${runId}`;
    const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const ticking = followersTicking();
    try {
      const log = memoryLog();
      const followers = Array.from({ length: 200 }, () =>
        follow(api, log, runId, () => true, { quietMs: 60_000 }),
      );
      expect(followersTicking()).toBe(ticking + 200);
      await until(async () => (await subscribers()) === 1);
      for (let batch = 0; batch < 10; batch++) {
        const events = deltaEvents(batch * 3 + 1, batch * 3 + 3);
        log.events.push(...events);
        await worker.publish(runId, events);
      }
      // Half the readers leave before the run ends; the others get it whole.
      for (const { follower } of followers.slice(0, 100)) follower.close();
      expect(await subscribers()).toBe(1);
      const end = completedEvent(runId, 31);
      log.events.push(end);
      await worker.publish(runId, [end]);
      await until(() => followers.slice(100).every(({ ended }) => ended()));
      for (const { seen } of followers.slice(100)) expect(seen).toEqual(range(1, 31));
      for (const { seen } of followers.slice(0, 100)) expect(seen).toEqual(range(1, seen.length));
      expect(followersTicking()).toBe(ticking);
      await until(async () => (await subscribers()) === 0);
    } finally {
      redis.disconnect();
      await Promise.all([worker.close(), api.close()]);
    }
  });

  it('holds nothing once closed: no listener, no place on the clock, no more events', async () => {
    const runId = testRunId();
    const bus = new InProcessRunEventBus();
    const log = memoryLog();
    const ticking = followersTicking();
    const { follower, seen } = follow(bus, log, runId);
    await until(() => log.reads === 1);
    log.events.push(...deltaEvents(1, 2));
    await bus.publish(runId, deltaEvents(1, 2));
    expect(followersTicking()).toBe(ticking + 1);
    follower.close();
    expect(followersTicking()).toBe(ticking);
    log.events.push(...deltaEvents(3, 4));
    await bus.publish(runId, deltaEvents(3, 4));
    expect(seen).toEqual([1, 2]);
    expect(follower.held).toBe(0);
    await bus.close();
  });
});
