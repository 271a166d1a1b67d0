import { describe, expect, it } from 'vitest';
import { RefillGate } from '../src/refill-gate.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RefillGate', () => {
  it('starts a put-off refill once no call holds an interpreter, and none did for the quiet time', async () => {
    const gate = new RefillGate({ quietMs: 40, maxWaitMs: 10_000 });
    const started: string[] = [];
    const release = gate.hold();
    gate.putOff(async () => {
      started.push('refill');
    });
    await sleep(80);
    // A call still holds its interpreter: nothing boots beside it.
    expect(started).toEqual([]);
    const releasedAt = performance.now();
    release();
    await expect.poll(() => started, { timeout: 2_000, interval: 5 }).toEqual(['refill']);
    expect(performance.now() - releasedAt).toBeGreaterThanOrEqual(35);
  });

  it('starts it at the latest maxWaitMs after it was put off, even while calls go on', async () => {
    const gate = new RefillGate({ quietMs: 40, maxWaitMs: 60 });
    const release = gate.hold();
    let started = false;
    gate.putOff(async () => {
      started = true;
    });
    await expect.poll(() => started, { timeout: 2_000, interval: 5 }).toBe(true);
    release();
  });

  it("lets one pool's refill go at a time: the next once the boots of the one before are done", async () => {
    const gate = new RefillGate({ quietMs: 10, maxWaitMs: 10_000 });
    const events: string[] = [];
    let finishFirst: () => void = () => undefined;
    gate.putOff(() => {
      events.push('pyodide started');
      return new Promise<void>((resolve) => {
        finishFirst = () => {
          events.push('pyodide booted');
          resolve();
        };
      });
    });
    gate.putOff(async () => {
      events.push('cpython started');
    });
    await expect.poll(() => events, { timeout: 2_000, interval: 5 }).toEqual(['pyodide started']);
    await sleep(50);
    expect(events).toEqual(['pyodide started']);
    finishFirst();
    await expect
      .poll(() => events, { timeout: 2_000, interval: 5 })
      .toEqual(['pyodide started', 'pyodide booted', 'cpython started']);
  });
});
