import type { RunEventBus } from '@agentd/spec';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deltaEvent, deltaEvents, recorder, testRunId } from './run-events.js';

export interface RunEventBusFixture {
  bus: RunEventBus;
  /**
   * Another process's bus on the same backend, which publishes while `bus`
   * listens. The in-process bus has none: it is the only one.
   */
  peer?: RunEventBus;
  close(): Promise<void>;
}

export interface RunEventBusContractOptions {
  /** Whether a new subscription is first given the events the bus still holds (Redis) or only later ones (in-process, the default). */
  replays: boolean;
}

const WAIT = { timeout: 5_000, interval: 5 };

/**
 * The behaviour every RunEventBus promises, run against each implementation.
 * Every test uses its own run ids, so one bus serves the whole suite.
 */
export function describeRunEventBusContract(
  name: string,
  make: () => Promise<RunEventBusFixture>,
  options: RunEventBusContractOptions = { replays: false },
): void {
  describe(`RunEventBus contract: ${name}`, () => {
    let fixture: RunEventBusFixture;
    let bus: RunEventBus;
    let publisher: RunEventBus;
    beforeAll(async () => {
      fixture = await make();
      bus = fixture.bus;
      publisher = fixture.peer ?? fixture.bus;
    });
    afterAll(() => fixture?.close());

    it('is healthy once open', () => {
      expect(bus.healthy).toBe(true);
      expect(publisher.healthy).toBe(true);
    });

    it("delivers a run's events in order, batch after batch", async () => {
      const runId = testRunId();
      const seen = recorder();
      const stop = bus.subscribe(runId, 0, seen.listener);
      await publisher.publish(runId, deltaEvents(1, 3));
      await publisher.publish(runId, [deltaEvent(4)]);
      await publisher.publish(runId, deltaEvents(5, 9));
      await vi.waitFor(() => expect(seen.sequences()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]), WAIT);
      expect(seen.events[3]).toEqual(deltaEvent(4));
      stop();
    });

    it('gives a listener each sequence number once, however often it is published', async () => {
      const runId = testRunId();
      const seen = recorder();
      const stop = bus.subscribe(runId, 0, seen.listener);
      await publisher.publish(runId, deltaEvents(1, 3));
      await publisher.publish(runId, deltaEvents(1, 3));
      await publisher.publish(runId, deltaEvents(2, 5));
      await publisher.publish(runId, [deltaEvent(6)]);
      await vi.waitFor(() => expect(seen.sequences()).toContain(6), WAIT);
      expect(seen.sequences()).toEqual([1, 2, 3, 4, 5, 6]);
      stop();
    });

    it('delivers only the events after the sequence number subscribed from', async () => {
      const runId = testRunId();
      const seen = recorder();
      const stop = bus.subscribe(runId, 4, seen.listener);
      await publisher.publish(runId, deltaEvents(1, 3));
      await publisher.publish(runId, deltaEvents(4, 7));
      await vi.waitFor(() => expect(seen.sequences()).toContain(7), WAIT);
      expect(seen.sequences()).toEqual([5, 6, 7]);
      stop();
    });

    it('delivers to every listener of a run, each from its own position', async () => {
      const runId = testRunId();
      const first = recorder();
      const second = recorder();
      const third = recorder();
      const stops = [
        bus.subscribe(runId, 0, first.listener),
        bus.subscribe(runId, 0, second.listener),
        bus.subscribe(runId, 2, third.listener),
      ];
      await publisher.publish(runId, deltaEvents(1, 4));
      await vi.waitFor(() => {
        expect(first.sequences()).toEqual([1, 2, 3, 4]);
        expect(second.sequences()).toEqual([1, 2, 3, 4]);
        expect(third.sequences()).toEqual([3, 4]);
      }, WAIT);
      for (const stop of stops) stop();
    });

    it('stops delivering to a listener that unsubscribed, and only to it', async () => {
      const runId = testRunId();
      const leaving = recorder();
      const staying = recorder();
      const stopLeaving = bus.subscribe(runId, 0, leaving.listener);
      const stopStaying = bus.subscribe(runId, 0, staying.listener);
      await publisher.publish(runId, deltaEvents(1, 2));
      await vi.waitFor(() => expect(leaving.sequences()).toEqual([1, 2]), WAIT);
      stopLeaving();
      stopLeaving(); // twice is harmless
      await publisher.publish(runId, deltaEvents(3, 4));
      await vi.waitFor(() => expect(staying.sequences()).toEqual([1, 2, 3, 4]), WAIT);
      expect(leaving.sequences()).toEqual([1, 2]);
      stopStaying();
    });

    it('delivers again to a run whose every listener left and a new one came', async () => {
      const runId = testRunId();
      const before = recorder();
      bus.subscribe(runId, 0, before.listener)();
      const after = recorder();
      const stop = bus.subscribe(runId, 0, after.listener);
      await publisher.publish(runId, deltaEvents(1, 2));
      await vi.waitFor(() => expect(after.sequences()).toEqual([1, 2]), WAIT);
      expect(before.sequences()).toEqual([]);
      stop();
    });

    it("keeps runs apart: a listener hears only its run's events", async () => {
      const runA = testRunId('a');
      const runB = testRunId('b');
      const a = recorder();
      const b = recorder();
      const stops = [bus.subscribe(runA, 0, a.listener), bus.subscribe(runB, 0, b.listener)];
      await publisher.publish(runA, deltaEvents(1, 3));
      await publisher.publish(runB, [deltaEvent(1, 'only b')]);
      await publisher.publish(runA, [deltaEvent(4)]);
      await vi.waitFor(() => {
        expect(a.sequences()).toEqual([1, 2, 3, 4]);
        expect(b.events).toEqual([deltaEvent(1, 'only b')]);
      }, WAIT);
      expect(
        a.events.every((event) => event.type === 'response.output_text.delta' && event.delta !== 'only b'),
      ).toBe(true);
      for (const stop of stops) stop();
    });

    it(
      options.replays
        ? 'replays the events it holds to a late listener, from its sequence number, then live ones'
        : 'gives a late listener only the events published after it subscribed',
      async () => {
        const runId = testRunId();
        await publisher.publish(runId, deltaEvents(1, 5));
        const late = recorder();
        const stop = bus.subscribe(runId, 2, late.listener);
        if (options.replays) await vi.waitFor(() => expect(late.sequences()).toEqual([3, 4, 5]), WAIT);
        await publisher.publish(runId, deltaEvents(6, 7));
        await vi.waitFor(() => expect(late.sequences()).toContain(7), WAIT);
        expect(late.sequences()).toEqual(options.replays ? [3, 4, 5, 6, 7] : [6, 7]);
        stop();
      },
    );

    it('carries many runs at once, each in order and complete', async () => {
      const runs = Array.from({ length: 40 }, (_, index) => testRunId(`many${index}`));
      const seen = runs.map(() => recorder());
      const stops = runs.map((runId, index) => bus.subscribe(runId, 0, (seen[index] ?? recorder()).listener));
      // Every run publishes its batches in order; the runs interleave.
      await Promise.all(
        runs.map(async (runId) => {
          for (let first = 1; first <= 30; first += 3)
            await publisher.publish(runId, deltaEvents(first, first + 2));
        }),
      );
      const all = deltaEvents(1, 30).map((event) => event.sequence_number);
      await vi.waitFor(() => {
        for (const run of seen) expect(run.sequences()).toEqual(all);
      }, WAIT);
      for (const stop of stops) stop();
    });

    it('keeps delivering to the other listeners when one throws', async () => {
      const runId = testRunId();
      const seen = recorder();
      const stops = [
        bus.subscribe(runId, 0, () => {
          throw new Error('a broken listener');
        }),
        bus.subscribe(runId, 0, seen.listener),
      ];
      await expect(publisher.publish(runId, deltaEvents(1, 2))).resolves.toBeUndefined();
      await publisher.publish(runId, [deltaEvent(3)]);
      await vi.waitFor(() => expect(seen.sequences()).toEqual([1, 2, 3]), WAIT);
      for (const stop of stops) stop();
    });

    it('refuses to publish once closed, and its listeners hear nothing more', async () => {
      const other = await make();
      const runId = testRunId();
      const closed = recorder();
      const open = recorder();
      other.bus.subscribe(runId, 0, closed.listener);
      const stop = bus.subscribe(runId, 0, open.listener);
      await other.bus.close();
      await expect(other.bus.publish(runId, [deltaEvent(1)])).rejects.toThrow(/closed/);
      expect(other.bus.subscribe(runId, 0, closed.listener)).toBeTypeOf('function');
      await publisher.publish(runId, deltaEvents(1, 2));
      await vi.waitFor(() => expect(open.sequences()).toEqual([1, 2]), WAIT);
      expect(closed.sequences()).toEqual([]);
      await other.close();
      stop();
    });
  });
}
