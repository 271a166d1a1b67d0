/**
 * What the in-process queue adds to the contract: an embedded server that
 * restarts finds the runs its previous process left (dispatched but never
 * claimed, or claimed under a lease that has since run out) and runs them.
 */
import type { RunClaim } from '@agentd/spec';
import { createRunRows, type RunRows } from '@agentd/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalRunQueue, RunLeaseStore } from '../src/index.js';
import { type MigratedDatabase, migratedPglite } from './support/databases.js';

const WAIT = { timeout: 15_000, interval: 10 };

describe('LocalRunQueue (PGlite): an embedded server restarted', () => {
  let pglite: MigratedDatabase;
  let runs: RunRows;
  let queue: LocalRunQueue;
  beforeAll(async () => {
    pglite = await migratedPglite();
  });
  afterAll(() => pglite?.destroy());
  beforeEach(async () => {
    runs = await createRunRows(pglite.db);
    queue = new LocalRunQueue(pglite.db, { dispatchGraceMs: 1_000 });
  });
  afterEach(async () => {
    await queue?.close();
    await runs?.endAll();
  });

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

    const claims: RunClaim[] = [];
    queue.consume(
      async (claim) => {
        claims.push(claim);
        await runs.end(claim.lease.runId);
        return 'finished';
      },
      { owner: 'new-process', concurrency: 4, leaseMs: 400, maxClaims: 3 },
    );
    await vi.waitFor(() => expect(claims).toHaveLength(2), WAIT);
    expect(claims.map((claim) => claim.lease.runId).sort()).toEqual([neverClaimed, interrupted].sort());
    expect(claims.find((claim) => claim.lease.runId === interrupted)?.lease).toMatchObject({
      generation: previous.generation + 1,
      claims: 2,
    });
    // A run created a moment ago is still within its dispatch grace: its enqueue is on its way.
    expect((await runs.lease(fresh)).claims).toBe(0);
  });
});
