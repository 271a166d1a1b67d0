/**
 * What the graphile-worker queue adds to the contract, on the PostgreSQL
 * server: the enqueue that commits with the run's row, what graphile-worker
 * does with the job of a worker that was killed (it stays locked), runs
 * whose dispatch was lost, and a clear error when its schema cannot be installed.
 */
import { randomBytes } from 'node:crypto';
import type { RunClaim } from '@agentd/spec';
import { type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { createRunRows, type RunRows, TEST_POSTGRES_URL } from '@agentd/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  enqueueRunInTransaction,
  type GraphileRunQueue,
  openGraphileRunQueue,
  RunLeaseStore,
} from '../src/index.js';

const LEASE_MS = 500;
const WAIT = { timeout: 15_000, interval: 10 };

interface JobRow {
  id: string;
  key: string | null;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
}

describe('GraphileRunQueue (PostgreSQL)', () => {
  let postgres: MigratedDatabase;
  let queue: GraphileRunQueue;
  let task: string;
  let runs: RunRows;
  beforeAll(async () => {
    postgres = await openMigratedDatabase('postgres', { prefix: 'agentd_graphile' });
  });
  afterAll(() => postgres?.close());
  beforeEach(async () => {
    task = `agentd_run_${randomBytes(4).toString('hex')}`;
    queue = await openGraphileRunQueue({
      connectionString: postgres.url!,
      taskIdentifier: task,
      dispatchGraceMs: 2_000,
    });
    runs = await createRunRows(postgres.db);
  });
  afterEach(async () => {
    await queue?.close();
    await runs?.endAll();
  });

  const jobsOf = (runId: string) =>
    postgres.db.query<JobRow>(
      `SELECT id::text, key, attempts, max_attempts, locked_by FROM graphile_worker._private_jobs
        WHERE payload->>'runId' = $1 ORDER BY id`,
      [runId],
    );

  const delivered = () => {
    const claims: RunClaim[] = [];
    const handler = async (claim: RunClaim) => {
      claims.push(claim);
      await runs.end(claim.lease.runId);
      return 'finished' as const;
    };
    return { claims, handler };
  };

  const consumerOptions = { owner: 'worker-live', concurrency: 2, leaseMs: LEASE_MS, maxClaims: 3 };

  it('enqueues in the caller’s transaction: nothing when it rolls back, the run when it commits', async () => {
    const rolledBack = `resp_rq_${randomBytes(6).toString('hex')}`;
    const insert = `INSERT INTO responses (id, tenant_id, status, snapshot, input, history, run_spec)
                    VALUES ($1, $2, 'queued', '{}', '[]', '[]', '{}')`;
    await expect(
      postgres.db.transaction(async (tx) => {
        await tx.query(insert, [rolledBack, runs.tenantId]);
        await enqueueRunInTransaction(tx, runs.job(rolledBack), task);
        throw new Error('the request failed after the enqueue');
      }),
    ).rejects.toThrow('the request failed');
    expect(await jobsOf(rolledBack)).toEqual([]);

    const committed = `resp_rq_${randomBytes(6).toString('hex')}`;
    await postgres.db.transaction(async (tx) => {
      await tx.query(insert, [committed, runs.tenantId]);
      await enqueueRunInTransaction(tx, runs.job(committed), task);
    });
    expect(await jobsOf(committed)).toMatchObject([{ key: committed, attempts: 0, max_attempts: 1 }]);
    const recorder = delivered();
    queue.consume(recorder.handler, consumerOptions);
    await vi.waitFor(() => expect(recorder.claims.map((c) => c.lease.runId)).toEqual([committed]), WAIT);
    await vi.waitFor(async () => expect(await jobsOf(committed)).toEqual([]), WAIT);
  });

  it('gives the run of a killed worker (its job still locked) to a live one: a new job for the key', async () => {
    const runId = await runs.create();
    await queue.enqueue(runs.job(runId));
    // What a worker killed mid-run leaves: its job locked by it, its lease on the run.
    await postgres.db.query(
      `UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = 'worker-killed', attempts = 1
        WHERE key = $1`,
      [runId],
    );
    const store = new RunLeaseStore(postgres.db);
    const dead = (await store.claim(runs.job(runId), 'worker-killed', 60_000))!;
    const [lockedJob] = await jobsOf(runId);
    expect(lockedJob).toMatchObject({ key: runId, locked_by: 'worker-killed' });
    expect(await queue.depth()).toBe(0);

    const recorder = delivered();
    await queue.consume(recorder.handler, consumerOptions).started();
    // While the lease lasts, the run is the killed worker's: nothing is delivered.
    await queue.enqueue(runs.job(runId));
    expect(await jobsOf(runId)).toHaveLength(1);
    await runs.expireLease(runId);

    await vi.waitFor(() => expect(recorder.claims).toHaveLength(1), WAIT);
    expect(recorder.claims[0]?.lease).toMatchObject({
      owner: 'worker-live',
      generation: dead.generation + 1,
    });
    // graphile-worker took the key off the locked job and made it unable to run again.
    const jobs = await jobsOf(runId);
    expect(jobs).toContainEqual({ ...lockedJob, key: null, max_attempts: 1, attempts: 1 });
    expect(jobs.filter((job) => job.key === runId && job.locked_by === null)).toHaveLength(0);
  });

  it('dispatches a run whose job was never added (its dispatch lost) once the grace has passed', async () => {
    const runId = await runs.create();
    await postgres.db.query(`UPDATE responses SET created_at = now() - interval '1 minute' WHERE id = $1`, [
      runId,
    ]);
    const recorder = delivered();
    queue.consume(recorder.handler, consumerOptions);
    await vi.waitFor(() => expect(recorder.claims.map((c) => c.lease.runId)).toEqual([runId]), WAIT);
  });

  it('fails to open with an error naming graphile-worker’s schema when it cannot be installed', async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/agentd_missing_${randomBytes(4).toString('hex')}`;
    await expect(openGraphileRunQueue({ connectionString: url.toString() })).rejects.toThrow(
      /could not install graphile-worker's schema \(graphile_worker\).*does not exist/,
    );
  });
});
