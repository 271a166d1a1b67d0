/**
 * What the in-process queue adds to the contract: an embedded server that
 * restarts finds the runs its previous process left (dispatched but never
 * claimed, or claimed under a lease that has since run out) and runs them.
 */
import type { RunClaim } from '@agentd/spec';
import { type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { createRunRows, type RunRows } from '@agentd/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalRunQueue, RunLeaseStore } from '../src/index.js';

const WAIT = { timeout: 15_000, interval: 10 };

describe('LocalRunQueue (PGlite): an embedded server restarted', () => {
  let pglite: MigratedDatabase;
  let runs: RunRows;
  let queue: LocalRunQueue;
  beforeAll(async () => {
    pglite = await openMigratedDatabase('pglite');
  });
  afterAll(() => pglite?.close());
  beforeEach(async () => {
    runs = await createRunRows(pglite.db);
    queue = new LocalRunQueue(pglite.db, { dispatchGraceMs: 1_000 });
  });
  afterEach(async () => {
    await queue?.close();
    await runs?.endAll();
  });

  /** Consumes as `owner` (four at once), ending each run it claims; the claims, in order. */
  function consumeEnding(owner: string, leaseMs: number): RunClaim[] {
    const claims: RunClaim[] = [];
    queue.consume(
      async (claim) => {
        claims.push(claim);
        await runs.end(claim.lease.runId);
        return 'finished';
      },
      { owner, concurrency: 4, leaseMs, maxClaims: 3 },
    );
    return claims;
  }

  it('runs what the previous process left: queued runs never claimed, and runs whose lease ran out', async () => {
    const [neverClaimed, interrupted, fresh] = [
      await runs.create(),
      await runs.create(),
      await runs.create(),
    ];
    await pglite.db.query(`UPDATE responses SET created_at = now() - interval '1 minute' WHERE id = $1`, [
      neverClaimed,
    ]);
    const previous = (await new RunLeaseStore(pglite.db).claim(
      runs.job(interrupted),
      'old-process',
      60_000,
    ))!;
    await pglite.db.query(`UPDATE responses SET status = 'in_progress' WHERE id = $1`, [interrupted]);
    await runs.expireLease(interrupted);

    const claims = consumeEnding('new-process', 400);
    await vi.waitFor(() => expect(claims).toHaveLength(2), WAIT);
    expect(claims.map((claim) => claim.lease.runId).sort()).toEqual([neverClaimed, interrupted].sort());
    expect(claims.find((claim) => claim.lease.runId === interrupted)?.lease).toMatchObject({
      generation: previous.generation + 1,
      claims: 2,
    });
    // A run created a moment ago is still within its dispatch grace: its enqueue is on its way.
    expect((await runs.lease(fresh)).claims).toBe(0);
  });

  it('executes a run created already claimed under the lease it was created with, without claiming it again', async () => {
    const runId = await runs.create();
    const leases = new RunLeaseStore(pglite.db);
    // What the embedded create does in its insert: the creating process's first claim.
    const created = (await leases.claim(runs.job(runId), 'this-process', 60_000))!;
    const claims = consumeEnding('this-process', 60_000);
    await queue.enqueue(runs.job(runId), { created: true, lease: created });
    await vi.waitFor(() => expect(claims).toHaveLength(1), WAIT);
    // Claimed once (by the create), not twice: a claim by the queue would have raised both.
    expect(claims[0]?.lease).toMatchObject({ runId, owner: 'this-process', generation: 1, claims: 1 });
    await vi.waitFor(async () => expect((await runs.lease(runId)).lease_owner).toBeNull(), WAIT);
    expect(await runs.lease(runId)).toMatchObject({ lease_generation: 1, claims: 1 });
  });

  it('claims anew a run whose lease from its create ran out while it waited', async () => {
    const runId = await runs.create();
    const created = (await new RunLeaseStore(pglite.db).claim(runs.job(runId), 'this-process', 60_000))!;
    await runs.expireLease(runId);
    const claims = consumeEnding('this-process', 60_000);
    await queue.enqueue(runs.job(runId), {
      created: true,
      lease: { ...created, expiresAt: Date.now() - 1 },
    });
    await vi.waitFor(() => expect(claims).toHaveLength(1), WAIT);
    expect(claims[0]?.lease).toMatchObject({ runId, generation: 2, claims: 2 });
  });

  it('hands back the lease of a run created claimed that waits behind a full consumer: a cancel can claim it', async () => {
    const leases = new RunLeaseStore(pglite.db);
    const [first, second] = [await runs.create(), await runs.create()];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const claims: RunClaim[] = [];
    queue.consume(
      async (claim) => {
        claims.push(claim);
        if (claim.lease.runId === first) await held;
        await runs.end(claim.lease.runId);
        return 'finished';
      },
      { owner: 'this-process', concurrency: 1, leaseMs: 60_000, maxClaims: 3 },
    );
    const createdFirst = (await leases.claim(runs.job(first), 'this-process', 60_000))!;
    await queue.enqueue(runs.job(first), { created: true, lease: createdFirst });
    await vi.waitFor(() => expect(claims).toHaveLength(1), WAIT);
    const createdSecond = (await leases.claim(runs.job(second), 'this-process', 60_000))!;
    await queue.enqueue(runs.job(second), { created: true, lease: createdSecond });
    // Waiting, it is held by nobody: a cancel (here, its claim) takes it.
    const cancel = await leases.claim(runs.job(second), 'this-process:cancel', 60_000);
    expect(cancel).toMatchObject({ runId: second, generation: 2 });
    await leases.finish(cancel!);
    await runs.end(second);
    release();
    await vi.waitFor(async () => expect((await runs.lease(first)).status).toBe('completed'), WAIT);
    // The ended run is not executed when its turn comes.
    expect(claims.map((claim) => claim.lease.runId)).toEqual([first]);
  });
});
