import { randomBytes } from 'node:crypto';
import type {
  RunClaim,
  RunConsumer,
  RunConsumerOptions,
  RunHandler,
  RunOutcome,
  RunQueue,
} from '@agentd/spec';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ContractSql, createRunRows, type RunRows } from './run-rows.js';

export interface RunQueueFixture {
  /** A queue of its own for one test (tests may share the database; each uses its own runs). */
  queue: RunQueue;
  /** The database holding the runs (`responses`), to set runs up and read their leases. */
  sql: ContractSql;
  /** Makes a consumer act as if its process died: no more claims or extensions, its leases never ended. */
  crash(consumer: RunConsumer): void;
  close(): Promise<void>;
}

/** Short leases, so that a lease running out takes a moment. */
const LEASE_MS = 500;
const WAIT = { timeout: 15_000, interval: 10 };

/** A handler that records its deliveries and lets each test decide how each one ends. */
function recording(decide: (claim: RunClaim, n: number) => Promise<RunOutcome>) {
  const deliveries: RunClaim[] = [];
  const active = new Set<string>();
  let maxActive = 0;
  let overlaps = 0;
  const handler: RunHandler = async (claim) => {
    deliveries.push(claim);
    if (active.has(claim.lease.runId)) overlaps += 1;
    active.add(claim.lease.runId);
    maxActive = Math.max(maxActive, active.size);
    try {
      return await decide(claim, deliveries.filter((d) => d.lease.runId === claim.lease.runId).length);
    } finally {
      active.delete(claim.lease.runId);
    }
  };
  return {
    handler,
    deliveries,
    active,
    of: (runId: string) => deliveries.filter((claim) => claim.lease.runId === runId),
    maxActive: () => maxActive,
    overlaps: () => overlaps,
  };
}

/** A promise and the function that settles it. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const opened = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/**
 * The behaviour every RunQueue promises, run against each implementation:
 * delivery, leases, their extension and expiry, claims, drain and depth.
 * Each test has a fresh queue and a tenant of its own whose runs are ended afterwards.
 */
export function describeRunQueueContract(name: string, make: () => Promise<RunQueueFixture>): void {
  describe(`RunQueue contract: ${name}`, () => {
    let fixture: RunQueueFixture;
    let queue: RunQueue;
    let runs: RunRows;
    let consumers: RunConsumer[];
    const cleanups: Array<() => void> = [];

    /** What a handler does with a run it completes: ends it, then says 'finished'. */
    const ends = async (claim: RunClaim): Promise<RunOutcome> => {
      await runs.end(claim.lease.runId);
      return 'finished';
    };

    const consume = (handler: RunHandler, options: Partial<RunConsumerOptions> = {}) => {
      const consumer = queue.consume(handler, {
        owner: `worker-${randomBytes(3).toString('hex')}`,
        concurrency: 1,
        leaseMs: LEASE_MS,
        maxClaims: 3,
        ...options,
      });
      consumers.push(consumer);
      return consumer;
    };

    /** Enqueues a fresh run and waits until it has been delivered and finished: everything before it was seen. */
    const sentinel = async (recorder: ReturnType<typeof recording>) => {
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
      await vi.waitFor(() => expect(recorder.of(runId)).toHaveLength(1), WAIT);
    };

    beforeEach(async () => {
      fixture = await make();
      queue = fixture.queue;
      runs = await createRunRows(fixture.sql);
      consumers = [];
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      await Promise.all(consumers.map((consumer) => consumer.stop(0)));
      await runs.endAll();
      await fixture.close();
    });

    it('delivers an enqueued run once, under a lease held by the consumer that got it', async () => {
      const recorder = recording(ends);
      const owner = 'worker-one';
      consume(recorder.handler, { owner });
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(recorder.of(runId)).toHaveLength(1), WAIT);
      const [claim] = recorder.of(runId);
      expect(claim?.lease).toMatchObject({ runId, tenantId: runs.tenantId, owner, generation: 1, claims: 1 });
      expect(claim?.lease.expiresAt).toBeGreaterThan(Date.now() - 5_000);
      expect(claim?.lost.aborted).toBe(false);
      await sentinel(recorder);
      expect(recorder.of(runId)).toHaveLength(1);
      expect(await runs.lease(runId)).toMatchObject({ lease_owner: null, lease_generation: 1, claims: 1 });
    });

    it('delivers a run enqueued twice, or enqueued again while held, once', async () => {
      const recorder = recording(ends);
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await queue.enqueue(runs.job(runId));
      expect(await queue.depth()).toBe(1);
      const held = gate<RunOutcome>();
      const holding = recording(async () => held.opened);
      const consumer = consume(holding.handler);
      await vi.waitFor(() => expect(holding.of(runId)).toHaveLength(1), WAIT);
      await queue.enqueue(runs.job(runId));
      held.open('finished');
      await consumer.stop(5_000);
      consume(recorder.handler);
      await sentinel(recorder);
      expect(holding.of(runId)).toHaveLength(1);
      expect(recorder.of(runId)).toHaveLength(0);
    });

    it('holds at most `concurrency` runs at once per consumer', async () => {
      const gates = new Map<string, ReturnType<typeof gate<RunOutcome>>>();
      const recorder = recording(async (claim) => {
        const g = gate<RunOutcome>();
        gates.set(claim.lease.runId, g);
        return g.opened;
      });
      const ids = await Promise.all(Array.from({ length: 6 }, () => runs.create()));
      for (const id of ids) await queue.enqueue(runs.job(id));
      consume(recorder.handler, { concurrency: 2 });
      for (let done = 0; done < ids.length; done += 1) {
        await vi.waitFor(() => expect(recorder.active.size).toBe(Math.min(2, ids.length - done)), WAIT);
        expect(await queue.depth()).toBe(Math.max(0, ids.length - done - 2));
        const [first] = recorder.active;
        gates.get(first!)?.open('finished');
        await vi.waitFor(() => expect(recorder.active.has(first!)).toBe(false), WAIT);
      }
      expect(recorder.maxActive()).toBe(2);
      expect(new Set(recorder.deliveries.map((claim) => claim.lease.runId))).toEqual(new Set(ids));
      expect(recorder.deliveries).toHaveLength(ids.length);
    });

    it('never lets two consumers hold one run at once', async () => {
      const recorder = recording(async (claim) => {
        await new Promise((resolve) => setImmediate(resolve));
        return ends(claim);
      });
      consume(recorder.handler, { concurrency: 3 });
      consume(recorder.handler, { concurrency: 3 });
      const ids = await Promise.all(Array.from({ length: 12 }, () => runs.create()));
      await Promise.all(ids.flatMap((id) => [queue.enqueue(runs.job(id)), queue.enqueue(runs.job(id))]));
      await vi.waitFor(
        () => expect(new Set(recorder.deliveries.map((c) => c.lease.runId)).size).toBe(12),
        WAIT,
      );
      await sentinel(recorder);
      expect(recorder.overlaps()).toBe(0);
      for (const id of ids) expect(recorder.of(id)).toHaveLength(1);
    });

    it('gives the run of a consumer that died to another once the lease runs out, generation and claims raised', async () => {
      const dead = recording(() => new Promise<RunOutcome>(() => {}));
      const doomed = consume(dead.handler, { owner: 'worker-doomed' });
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(dead.of(runId)).toHaveLength(1), WAIT);
      const first = dead.of(runId)[0]!.lease;
      fixture.crash(doomed);
      const recorder = recording(ends);
      consume(recorder.handler, { owner: 'worker-heir' });
      await vi.waitFor(() => expect(recorder.of(runId)).toHaveLength(1), WAIT);
      const second = recorder.of(runId)[0]!.lease;
      expect(second).toMatchObject({
        owner: 'worker-heir',
        generation: first.generation + 1,
        claims: first.claims + 1,
      });
      expect(second.expiresAt).toBeGreaterThanOrEqual(first.expiresAt);
      expect(dead.of(runId)).toHaveLength(1);
    });

    it("delivers a run again at once when its handler hands it back ('released')", async () => {
      const runId = await runs.create();
      const recorder = recording(async (claim, n) =>
        claim.lease.runId === runId && n === 1 ? 'released' : ends(claim),
      );
      // A lease far longer than the wait: only an immediate re-dispatch can deliver it again in time.
      consume(recorder.handler, { leaseMs: 60_000 });
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(recorder.of(runId)).toHaveLength(2), { ...WAIT, timeout: 5_000 });
      const [first, second] = recorder.of(runId).map((claim) => claim.lease);
      expect(second?.generation).toBe((first?.generation ?? 0) + 1);
      // Handing back is not a failure: it does not count against maxClaims.
      expect(second?.claims).toBe(first?.claims);
      await sentinel(recorder);
      expect(recorder.of(runId)).toHaveLength(2);
    });

    it("never delivers a run again once its handler says 'finished', nor an ended run enqueued again", async () => {
      const recorder = recording(async (claim) => {
        await runs.end(claim.lease.runId);
        return 'finished';
      });
      consume(recorder.handler);
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(recorder.of(runId)).toHaveLength(1), WAIT);
      await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
      await queue.enqueue(runs.job(runId));
      await sentinel(recorder);
      expect(recorder.of(runId)).toHaveLength(1);
    });

    it('gives a run claimed more than maxClaims times to `exhausted`, not the handler, and ends its lease', async () => {
      const recorder = recording(ends);
      const exhausted: Array<{ runId: string; claims: number }> = [];
      consume(recorder.handler, {
        maxClaims: 2,
        exhausted: async (job, claims) => {
          exhausted.push({ runId: job.runId, claims });
        },
      });
      const runId = await runs.create();
      await runs.setClaims(runId, 2);
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(exhausted).toEqual([{ runId, claims: 3 }]), WAIT);
      await sentinel(recorder);
      expect(recorder.of(runId)).toHaveLength(0);
      await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
    });

    it('delivers a run again when its handler throws, counting the claim, until `exhausted` gets it', async () => {
      const exhausted: number[] = [];
      const recorder = recording(async () => {
        throw new Error('the handler failed');
      });
      consume(recorder.handler, {
        maxClaims: 2,
        exhausted: async (_job, claims) => {
          exhausted.push(claims);
        },
      });
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(exhausted).toEqual([3]), WAIT);
      expect(recorder.of(runId).map((claim) => claim.lease.claims)).toEqual([1, 2]);
      // `exhausted` is told first, then the lease is ended.
      await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
    });

    it('keeps the lease of a handler working longer than the lease (no redelivery meanwhile)', async () => {
      const extended = recording(async (claim) => {
        // Works until the lease has been extended well past three lease lengths.
        await vi.waitFor(async () => {
          const row = await runs.lease(claim.lease.runId);
          expect(row.expires_at).toBeGreaterThan(claim.lease.expiresAt + 2 * LEASE_MS);
        }, WAIT);
        return 'finished';
      });
      consume(extended.handler, { owner: 'worker-slow', leaseMs: LEASE_MS });
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(extended.of(runId)).toHaveLength(1), WAIT);
      const other = recording(ends);
      consume(other.handler, { owner: 'worker-other' });
      await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
      const [claim] = extended.of(runId);
      expect(claim?.lost.aborted).toBe(false);
      expect(await runs.lease(runId)).toMatchObject({ lease_generation: 1, claims: 1 });
      expect(other.of(runId)).toHaveLength(0);
    });

    it("aborts the old holder's `lost` signal once its lease ran out and another claimed the run", async () => {
      // The old holder keeps its one slot until told to return, so the run can only go to the heir.
      const oldReturns = gate<RunOutcome>();
      cleanups.push(() => oldReturns.open('finished'));
      const old = recording(async (claim) => {
        await aborted(claim.lost);
        return oldReturns.opened;
      });
      consume(old.handler, { owner: 'worker-stalled' });
      const runId = await runs.create();
      await queue.enqueue(runs.job(runId));
      await vi.waitFor(() => expect(old.of(runId)).toHaveLength(1), WAIT);
      const heir = recording(async (claim) => {
        await aborted(claim.lost);
        return 'released';
      });
      consume(heir.handler, { owner: 'worker-heir' });
      // The stalled holder's lease runs out (as if it had missed its extensions).
      await runs.expireLease(runId);
      await vi.waitFor(() => expect(heir.of(runId)).toHaveLength(1), WAIT);
      expect(heir.of(runId)[0]?.lease.generation).toBe(2);
      await vi.waitFor(() => expect(old.of(runId)[0]?.lost.aborted).toBe(true), WAIT);
      // The old holder's 'finished' does not end the new holder's lease.
      oldReturns.open('finished');
      await vi.waitFor(() => expect(old.active.size).toBe(0), WAIT);
      expect(await runs.lease(runId)).toMatchObject({ lease_owner: 'worker-heir', lease_generation: 2 });
    });

    it('stop(grace) stops claiming, lets runs end within the grace, then aborts the rest and waits for them', async () => {
      const quick = gate<RunOutcome>();
      const endings: string[] = [];
      const [quickId, slowId] = [await runs.create(), await runs.create()];
      const recorder = recording(async (claim) => {
        if (claim.lease.runId === quickId) return quick.opened;
        await aborted(claim.lost);
        endings.push(String((claim.lost.reason as Error).message));
        return 'released';
      });
      const consumer = consume(recorder.handler, { concurrency: 2 });
      await queue.enqueue(runs.job(quickId));
      await queue.enqueue(runs.job(slowId));
      await vi.waitFor(() => expect(recorder.active.size).toBe(2), WAIT);
      const stopped = consumer.stop(LEASE_MS);
      quick.open('finished');
      await stopped;
      expect(recorder.active.size).toBe(0);
      expect(recorder.of(quickId)[0]?.lost.aborted).toBe(false);
      expect(endings).toHaveLength(1);
      expect(endings[0]).toMatch(/drain/);
      // The handed-back run waits for another consumer; the stopped one takes nothing more.
      const later = await runs.create();
      await queue.enqueue(runs.job(later));
      const heir = recording(ends);
      consume(heir.handler);
      await vi.waitFor(() => expect(heir.of(slowId)).toHaveLength(1), WAIT);
      await vi.waitFor(() => expect(heir.of(later)).toHaveLength(1), WAIT);
      expect(recorder.deliveries).toHaveLength(2);
    });

    it('counts the runs waiting to be claimed in depth()', async () => {
      expect(await queue.depth()).toBe(0);
      const ids = [await runs.create(), await runs.create(), await runs.create()];
      for (const id of ids) await queue.enqueue(runs.job(id));
      expect(await queue.depth()).toBe(3);
      const held = gate<RunOutcome>();
      cleanups.push(() => held.open('finished'));
      const recorder = recording(() => held.opened);
      consume(recorder.handler, { concurrency: 2 });
      await vi.waitFor(() => expect(recorder.active.size).toBe(2), WAIT);
      await vi.waitFor(async () => expect(await queue.depth()).toBe(1), WAIT);
    });
  });
}
