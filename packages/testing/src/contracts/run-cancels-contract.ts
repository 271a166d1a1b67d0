import type { RunCancels } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testRunId } from './run-events.js';

export interface RunCancelsFixture {
  cancels: RunCancels;
  /**
   * Another process's cancels on the same backend, which requests while
   * `cancels` listens. The in-process implementation has none: it is the only one.
   */
  peer?: RunCancels;
  close(): Promise<void>;
}

const WAIT = { timeout: 5_000, interval: 2 };

/** A listener that keeps what it hears, in order. */
function hearing() {
  const heard: { runId: string; reason: string; at: number }[] = [];
  return {
    heard,
    listener: (runId: string, reason: string) => {
      heard.push({ runId, reason, at: performance.now() });
    },
    runIds: () => heard.map((cancel) => cancel.runId),
  };
}

/**
 * The behaviour every RunCancels promises, run against each implementation.
 * Every test uses its own run ids and ignores the others', so one instance serves the whole suite.
 */
export function describeRunCancelsContract(name: string, make: () => Promise<RunCancelsFixture>): void {
  describe(`RunCancels contract: ${name}`, () => {
    let fixture: RunCancelsFixture;
    let cancels: RunCancels;
    let requester: RunCancels;
    beforeAll(async () => {
      fixture = await make();
      cancels = fixture.cancels;
      requester = fixture.peer ?? fixture.cancels;
    });
    afterAll(() => fixture?.close());

    it('brings a request, with its run id and reason, to a listener in this process', async () => {
      const runId = testRunId();
      const ear = hearing();
      const stop = cancels.listen(ear.listener);
      await cancels.request(runId, 'cancelled by the user');
      await vi.waitFor(() => expect(ear.runIds()).toContain(runId), WAIT);
      expect(ear.heard.filter((cancel) => cancel.runId === runId)).toEqual([
        { runId, reason: 'cancelled by the user', at: expect.any(Number) },
      ]);
      stop();
    });

    it('brings a request made in another process to a listener here within 100 ms (p95 of 40)', async () => {
      const ear = hearing();
      const stop = cancels.listen(ear.listener);
      const latencies: number[] = [];
      for (let index = 0; index < 40; index++) {
        const runId = testRunId(`latency${index}`);
        const sent = performance.now();
        await requester.request(runId, 'stop');
        await vi.waitFor(() => expect(ear.runIds()).toContain(runId), WAIT);
        const heard = ear.heard.find((cancel) => cancel.runId === runId);
        latencies.push((heard?.at ?? Number.POSITIVE_INFINITY) - sent);
      }
      latencies.sort((a, b) => a - b);
      expect(latencies[Math.ceil(latencies.length * 0.95) - 1]).toBeLessThan(100);
      stop();
    });

    it('brings every request to every listener, each once', async () => {
      const first = hearing();
      const second = hearing();
      const stops = [cancels.listen(first.listener), cancels.listen(second.listener)];
      const runIds = Array.from({ length: 50 }, (_, index) => testRunId(`all${index}`));
      await Promise.all(runIds.map((runId) => requester.request(runId, `stop ${runId}`)));
      for (const ear of [first, second]) {
        await vi.waitFor(
          () => expect(ear.runIds().filter((id) => runIds.includes(id))).toHaveLength(50),
          WAIT,
        );
        expect(new Set(ear.runIds().filter((id) => runIds.includes(id)))).toEqual(new Set(runIds));
        for (const cancel of ear.heard) {
          if (runIds.includes(cancel.runId)) expect(cancel.reason).toBe(`stop ${cancel.runId}`);
        }
      }
      for (const stop of stops) stop();
    });

    it('stops bringing requests to a listener that stopped listening, and only to it', async () => {
      const leaving = hearing();
      const staying = hearing();
      const stopLeaving = cancels.listen(leaving.listener);
      const stopStaying = cancels.listen(staying.listener);
      const before = testRunId('before');
      await requester.request(before, 'stop');
      await vi.waitFor(() => expect(leaving.runIds()).toContain(before), WAIT);
      stopLeaving();
      stopLeaving(); // twice is harmless
      const after = testRunId('after');
      await requester.request(after, 'stop');
      await vi.waitFor(() => expect(staying.runIds()).toContain(after), WAIT);
      expect(leaving.runIds()).not.toContain(after);
      stopStaying();
    });

    it('keeps bringing requests to the other listeners when one throws', async () => {
      const ear = hearing();
      const stops = [
        cancels.listen(() => {
          throw new Error('a broken listener');
        }),
        cancels.listen(ear.listener),
      ];
      const runId = testRunId();
      await expect(requester.request(runId, 'stop')).resolves.toBeUndefined();
      await vi.waitFor(() => expect(ear.runIds()).toContain(runId), WAIT);
      for (const stop of stops) stop();
    });

    it('refuses requests once closed, and its listeners hear nothing more', async () => {
      const other = await make();
      const closed = hearing();
      const open = hearing();
      other.cancels.listen(closed.listener);
      const stop = cancels.listen(open.listener);
      await other.cancels.close();
      await expect(other.cancels.request(testRunId(), 'stop')).rejects.toThrow(/closed/);
      expect(other.cancels.listen(closed.listener)).toBeTypeOf('function');
      const runId = testRunId();
      await requester.request(runId, 'stop');
      await vi.waitFor(() => expect(open.runIds()).toContain(runId), WAIT);
      expect(closed.heard).toEqual([]);
      await other.close();
      stop();
    });
  });
}
