import { afterEach, describe, expect, it } from 'vitest';
import { RefillGate } from '../src/refill-gate.js';
import { type PooledRunner, SessionPool } from '../src/session-pool.js';

class FakeRunner implements PooledRunner {
  static created = 0;
  readonly id = ++FakeRunner.created;
  alive = true;
  disposed = false;
  async dispose(): Promise<void> {
    this.alive = false;
    this.disposed = true;
  }
}

const pools: SessionPool<FakeRunner>[] = [];
function pool(options: {
  warm?: number;
  maxSessions?: number;
  idleMs?: number;
  bootMs?: number;
  fail?: boolean;
  maxWarm?: number;
  bootConcurrency?: number;
  shrinkAfterMs?: number;
  memoryPerRunnerMb?: number;
  freeMemory?: () => number;
  refillGate?: RefillGate;
}) {
  const created = new SessionPool<FakeRunner>({
    warm: options.warm ?? 2,
    maxSessions: options.maxSessions ?? 4,
    idleMs: options.idleMs ?? 60_000,
    ...(options.maxWarm === undefined ? {} : { maxWarm: options.maxWarm }),
    ...(options.bootConcurrency === undefined ? {} : { bootConcurrency: options.bootConcurrency }),
    ...(options.shrinkAfterMs === undefined ? {} : { shrinkAfterMs: options.shrinkAfterMs }),
    ...(options.memoryPerRunnerMb === undefined ? {} : { memoryPerRunnerMb: options.memoryPerRunnerMb }),
    ...(options.freeMemory === undefined ? {} : { freeMemory: options.freeMemory, minFreeMemoryMb: 0 }),
    ...(options.refillGate === undefined ? {} : { refillGate: options.refillGate }),
    boot: async (signal) => {
      await new Promise((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('aborted'));
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve(undefined);
        }, options.bootMs ?? 5);
        signal.addEventListener('abort', onAbort);
      });
      if (options.fail) throw new Error('boot failed');
      return new FakeRunner();
    },
  });
  pools.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('SessionPool', () => {
  it('gives a new session a warm runner without a cold start, then refills', async () => {
    const p = pool({ warm: 2 });
    await p.ready();
    expect(p.stats).toMatchObject({ boots: 2, warm: 2, coldStarts: 0 });
    await p.withSession('a', async () => undefined);
    expect(p.stats.coldStarts).toBe(0);
    await p.ready();
    expect(p.stats).toMatchObject({ boots: 3, warm: 2, sessions: 1 });
  });

  it('refills after the call that took a warm runner, not during it, unless the pool ran empty', async () => {
    const p = pool({ warm: 2 });
    await p.ready();
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    await p.withSession('a', async () => {
      await tick();
      await tick();
      // One is still warm for the next new session: no boot competes with this call.
      expect(p.stats).toMatchObject({ warm: 1, booting: 0, boots: 2 });
    });
    await expect.poll(() => p.stats.warm, { timeout: 5_000, interval: 5 }).toBe(2);
    const single = pool({ warm: 1 });
    await single.ready();
    await single.withSession('b', async () => {
      await tick();
      await tick();
      // The pool ran empty: its refill does not wait for this call.
      expect(single.stats.booting).toBe(1);
    });
  });

  it("does not refill one pool while another pool's call that came right after runs (a shared gate)", async () => {
    const refillGate = new RefillGate({ quietMs: 100, maxWaitMs: 10_000 });
    const pyodide = pool({ warm: 2, refillGate });
    const cpython = pool({ warm: 2, refillGate });
    await Promise.all([pyodide.ready(), cpython.ready()]);
    await pyodide.withSession('conversation-1', async () => undefined);
    // The next call, on the other runtime, comes within the quiet time: the first pool's refill waits for it.
    await cpython.withSession('conversation-2', async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(pyodide.stats).toMatchObject({ warm: 1, booting: 0 });
      expect(cpython.stats).toMatchObject({ warm: 1, booting: 0 });
    });
    // Both refill once the calls are quiet.
    await expect.poll(() => pyodide.stats.warm + cpython.stats.warm, { timeout: 5_000, interval: 5 }).toBe(4);
  });

  it('pins a session to one runner and runs its calls one at a time, in order', async () => {
    const p = pool({ warm: 1 });
    await p.ready();
    const order: string[] = [];
    const seen = new Set<number>();
    const call = (name: string, ms: number) =>
      p.withSession('s', async (runner) => {
        seen.add(runner.id);
        order.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`end ${name}`);
      });
    await Promise.all([call('1', 30), call('2', 1), call('3', 1)]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    expect(seen.size).toBe(1);
  });

  it('waits for a boot under way when the pool is empty, counting a cold start', async () => {
    const p = pool({ warm: 1, bootMs: 50 });
    const runners = await Promise.all(['a', 'b', 'c'].map((id) => p.withSession(id, async (r) => r.id)));
    expect(new Set(runners).size).toBe(3);
    expect(p.stats.coldStarts).toBe(3);
  });

  it('serves calls that find the pool booting from boots in turn, never more at once than bootConcurrency', async () => {
    const p = pool({ warm: 1, maxWarm: 1, bootConcurrency: 2, maxSessions: 32, bootMs: 30 });
    // Six new sessions while the pool's first boot is under way: one takes it, each other one gets a boot of its own.
    const runners = await Promise.all(
      Array.from({ length: 6 }, (_, i) => p.withSession(`c-${i}`, async (r) => r.id)),
    );
    expect(new Set(runners).size).toBe(6);
    expect(p.stats.peakBooting).toBe(2);
    await p.ready();
    expect(p.stats.boots).toBe(7);
  });

  it('rejects the calls waiting for a boot when booting keeps failing', async () => {
    const p = pool({ warm: 1, fail: true, bootConcurrency: 1 });
    const calls = ['a', 'b', 'c', 'd'].map((id) => p.withSession(id, async () => id));
    for (const call of calls) await expect(call).rejects.toThrow('boot failed');
  });

  it('replaces a runner that died, and disposes it', async () => {
    const p = pool({ warm: 1 });
    await p.ready();
    const first = await p.withSession('s', async (runner) => {
      runner.alive = false;
      return runner;
    });
    const second = await p.withSession('s', async (runner) => runner);
    expect(second).not.toBe(first);
    expect(first.disposed).toBe(true);
  });

  it('resets a session: its next call gets another runner', async () => {
    const p = pool({ warm: 1 });
    const first = await p.withSession('s', async (r) => r);
    await p.reset('s');
    expect(first.disposed).toBe(true);
    const second = await p.withSession('s', async (r) => r);
    expect(second.id).not.toBe(first.id);
  });

  it('evicts the least recently used idle session past maxSessions', async () => {
    const p = pool({ warm: 0, maxSessions: 2 });
    const a = await p.withSession('a', async (r) => r);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await p.withSession('b', async (r) => r);
    await p.withSession('c', async (r) => r);
    expect(a.disposed).toBe(true);
    expect(p.stats.sessions).toBe(2);
  });

  it('forgets idle sessions after the idle time-out', async () => {
    const p = pool({ warm: 0, idleMs: 50 });
    const runner = await p.withSession('a', async (r) => r);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runner.disposed).toBe(true);
    expect(p.stats.sessions).toBe(0);
  });

  it('rejects ready() when booting keeps failing, and close() disposes everything', async () => {
    const failing = pool({ warm: 1, fail: true });
    await expect(failing.ready()).rejects.toThrow('boot failed');
    const p = pool({ warm: 2 });
    await p.ready();
    const held = await p.withSession('a', async (r) => r);
    await p.close();
    expect(held.disposed).toBe(true);
    await expect(p.withSession('b', async () => 1)).rejects.toThrow('closed');
  });

  it('grows the warm pool when a burst drains it, booting several at once, up to maxWarm', async () => {
    const p = pool({ warm: 2, maxWarm: 6, bootConcurrency: 3, maxSessions: 32, bootMs: 20 });
    await p.ready();
    expect(p.stats).toMatchObject({ target: 2, peakBooting: 2 });
    for (let i = 0; i < 10; i++) await p.withSession(`burst-${i}`, async () => undefined);
    expect(p.stats.target).toBe(6);
    // Refilling ran boots side by side, never more than the concurrency allows.
    expect(p.stats.peakBooting).toBe(3);
    await p.ready();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.stats.warm).toBe(6);
  });

  it('refills ahead: new sessions coming faster than boots raise the target before the pool runs empty', async () => {
    const p = pool({ warm: 3, maxWarm: 8, bootConcurrency: 3, maxSessions: 32, bootMs: 200 });
    await p.ready();
    // Two new sessions within one boot's time, with one interpreter still warm.
    await p.withSession('a', async () => undefined);
    await p.withSession('b', async () => undefined);
    expect(p.stats).toMatchObject({ warm: 1, coldStarts: 0 });
    expect(p.stats.target).toBe(5);
    // Three boots side by side (the concurrency), not one after another.
    await expect.poll(() => p.stats.booting, { timeout: 1_000, interval: 5 }).toBe(3);
  });

  it('grows no further than free memory allows, and counts each time memory held it back', async () => {
    const mb = 1024 * 1024;
    let free = 3 * 100 * mb;
    const p = pool({ warm: 1, maxWarm: 16, maxSessions: 32, memoryPerRunnerMb: 100, freeMemory: () => free });
    await p.ready();
    for (let i = 0; i < 6; i++) await p.withSession(`s-${i}`, async () => undefined);
    // Room for three more than those warm or booting at each step, never the 16 the burst asked for.
    expect(p.stats.peakTarget).toBeLessThan(16);
    expect(p.stats.memoryCapped).toBeGreaterThan(0);
    free = 0;
    const capped = p.stats.memoryCapped;
    for (let i = 6; i < 9; i++) await p.withSession(`s-${i}`, async () => undefined);
    await p.ready();
    // Out of memory: the pool keeps its resting size and boots nothing above it.
    await expect.poll(() => p.stats.booting, { timeout: 5_000, interval: 20 }).toBe(0);
    expect(p.stats.warm).toBeLessThanOrEqual(1 + 3);
    expect(p.stats.memoryCapped).toBeGreaterThanOrEqual(capped);
  });

  it('keeps a fixed size when maxWarm is not above warm (the earlier policy)', async () => {
    const p = pool({ warm: 2, maxSessions: 32 });
    for (let i = 0; i < 6; i++) await p.withSession(`s-${i}`, async () => undefined);
    expect(p.stats.target).toBe(2);
    expect(p.stats.coldStarts).toBeGreaterThan(0);
  });

  it('shrinks a grown pool back toward warm once no burst drained it for a while', async () => {
    const p = pool({ warm: 1, maxWarm: 4, maxSessions: 32, shrinkAfterMs: 100 });
    for (let i = 0; i < 4; i++) await p.withSession(`s-${i}`, async () => undefined);
    expect(p.stats.target).toBeGreaterThan(1);
    await expect.poll(() => p.stats.target, { timeout: 5_000, interval: 50 }).toBe(1);
    await expect.poll(() => p.stats.warm, { timeout: 5_000, interval: 50 }).toBe(1);
  });

  it('close() ends boots under way instead of waiting for them', async () => {
    const p = pool({ warm: 2, bootMs: 60_000 });
    expect(p.stats.booting).toBe(2);
    await p.close();
    expect(p.stats).toMatchObject({ booting: 0, boots: 0, warm: 0 });
  });
});
