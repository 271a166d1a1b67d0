/**
 * RunLeaseStore on both engines (embedded PGlite and the PostgreSQL server),
 * each test on a database of its own: claims, extension, expiry, the end of
 * a lease, what the sweeper finds, and the fencing condition event appends use.
 */

import { type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { createRunRows, type RunRows } from '@agentd/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunLeaseStore } from '../src/index.js';

const LEASE_MS = 10_000;
const GRACE_MS = 5_000;

/**
 * The condition an event append is fenced by: the batch is written only while
 * the run's row carries the writer's generation. FOR SHARE makes a concurrent
 * claim (an UPDATE of the row) wait until the append commits, and makes the
 * append see a claim committed before it (it re-reads the row's newest version).
 */
const FENCED_APPEND = `INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
  SELECT id, tenant_id, $3, $3, '[]'::json FROM responses
   WHERE id = $1 AND lease_generation = $2
   FOR SHARE`;

/**
 * PostgreSQL: a database per test. PGlite takes seconds to open with the
 * migrations, so its tests share one and each ends its runs afterwards.
 */
const BACKENDS: Array<[string, { perTest: boolean; open: () => Promise<MigratedDatabase> }]> = [
  ['PGlite', { perTest: false, open: () => openMigratedDatabase('pglite') }],
  [
    'PostgreSQL',
    { perTest: true, open: () => openMigratedDatabase('postgres', { prefix: 'agentd_leases' }) },
  ],
];

describe.each(BACKENDS)('RunLeaseStore on %s', (_name, backend) => {
  let shared: MigratedDatabase | undefined;
  let database: MigratedDatabase;
  let store: RunLeaseStore;
  let runs: RunRows;
  beforeAll(async () => {
    if (!backend.perTest) shared = await backend.open();
  });
  afterAll(() => shared?.close());
  beforeEach(async () => {
    database = shared ?? (await backend.open());
    store = new RunLeaseStore(database.db, { dispatchGraceMs: GRACE_MS });
    runs = await createRunRows(database.db);
  });
  afterEach(async () => {
    await runs?.endAll();
    if (!shared) await database?.close();
  });

  const dbNow = async () => {
    const [row] = await database.db.query<{ now: number }>(
      'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now',
    );
    return Number(row?.now);
  };

  it("claims an unclaimed run: generation and claims raised, expiry on the database's clock", async () => {
    const runId = await runs.create();
    const before = await dbNow();
    const lease = await store.claim(runs.job(runId), 'worker-a', LEASE_MS);
    const after = await dbNow();
    expect(lease).toMatchObject({
      tenantId: runs.tenantId,
      runId,
      owner: 'worker-a',
      generation: 1,
      claims: 1,
    });
    expect(lease!.expiresAt).toBeGreaterThanOrEqual(before + LEASE_MS - 1);
    expect(lease!.expiresAt).toBeLessThanOrEqual(after + LEASE_MS + 1);
    expect(await runs.lease(runId)).toMatchObject({
      lease_owner: 'worker-a',
      lease_generation: 1,
      claims: 1,
    });
  });

  it('refuses a claim on a run held under a live lease, an ended run, and a run of another tenant', async () => {
    const held = await runs.create();
    await store.claim(runs.job(held), 'worker-a', LEASE_MS);
    expect(await store.claim(runs.job(held), 'worker-b', LEASE_MS)).toBeUndefined();
    const ended = await runs.create();
    await runs.end(ended);
    expect(await store.claim(runs.job(ended), 'worker-b', LEASE_MS)).toBeUndefined();
    const other = await runs.create();
    expect(await store.claim({ tenantId: 'ten_other', runId: other }, 'worker-b', LEASE_MS)).toBeUndefined();
    expect(
      await store.claim({ tenantId: runs.tenantId, runId: 'resp_missing' }, 'w', LEASE_MS),
    ).toBeUndefined();
    expect(await runs.lease(held)).toMatchObject({ lease_owner: 'worker-a', lease_generation: 1, claims: 1 });
  });

  it('lets exactly one of many simultaneous claims win', async () => {
    const runId = await runs.create();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.claim(runs.job(runId), `worker-${i}`, LEASE_MS)),
    );
    const won = claims.filter((lease) => lease !== undefined);
    expect(won).toHaveLength(1);
    expect(await runs.lease(runId)).toMatchObject({ lease_owner: won[0]?.owner, lease_generation: 1 });
  });

  it('reads the claimed run in the claim statement, one read per run won; a column named like a lease column cannot change the lease', async () => {
    const runId = await runs.create();
    const read = {
      columns: "r.status, 0 AS generation, 'read' AS source",
      run: (row: Record<string, unknown>) => ({ status: row.status, source: row.source }),
    };
    const claims = await Promise.all(
      Array.from({ length: 4 }, (_, i) => store.claimAndRead(runs.job(runId), `worker-${i}`, LEASE_MS, read)),
    );
    const won = claims.filter((claimed) => claimed !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ lease: { runId, generation: 1, claims: 1 }, run: { source: 'read' } });
    expect(await runs.lease(runId)).toMatchObject({ lease_owner: won[0]?.lease.owner, lease_generation: 1 });
  });

  it('keeps the lease of a claim whose reader failed on the row, without the run', async () => {
    const runId = await runs.create();
    const read = {
      columns: 'r.status',
      run: () => {
        throw new Error('unreadable');
      },
    };
    const claimed = await store.claimAndRead(runs.job(runId), 'worker-a', LEASE_MS, read);
    expect(claimed).toEqual({ lease: expect.objectContaining({ runId, owner: 'worker-a', generation: 1 }) });
    expect(await store.claim(runs.job(runId), 'worker-b', LEASE_MS)).toBeUndefined();
  });

  it('gives a run whose lease ran out to the next claimant; the old lease can no longer be extended or ended', async () => {
    const runId = await runs.create();
    const old = (await store.claim(runs.job(runId), 'worker-a', LEASE_MS))!;
    await runs.expireLease(runId);
    expect(await store.extend(old, LEASE_MS)).toBeUndefined();
    const next = (await store.claim(runs.job(runId), 'worker-b', LEASE_MS))!;
    expect(next).toMatchObject({ owner: 'worker-b', generation: 2, claims: 2 });
    expect(await store.extend(old, LEASE_MS)).toBeUndefined();
    expect(await store.finish(old)).toBe(false);
    expect(await store.release(old)).toBe(false);
    expect(await store.drop(old)).toBe(false);
    expect(await runs.lease(runId)).toMatchObject({
      lease_owner: 'worker-b',
      lease_generation: 2,
      claims: 2,
    });
  });

  it('extends a lease still held, from the database clock', async () => {
    const runId = await runs.create();
    const lease = (await store.claim(runs.job(runId), 'worker-a', 1_000))!;
    const before = await dbNow();
    const extended = await store.extend(lease, LEASE_MS);
    expect(extended).toMatchObject({ owner: 'worker-a', generation: 1, claims: 1 });
    expect(extended!.expiresAt).toBeGreaterThanOrEqual(before + LEASE_MS - 1);
    expect((await runs.lease(runId)).expires_at).toBe(extended!.expiresAt);
  });

  it('finish clears the lease (generation kept); the run is not swept, and a new enqueue may claim it again', async () => {
    const runId = await runs.create();
    const lease = (await store.claim(runs.job(runId), 'worker-a', LEASE_MS))!;
    expect(await store.finish(lease)).toBe(true);
    expect(await runs.lease(runId)).toMatchObject({
      lease_owner: null,
      expires_at: null,
      lease_generation: 1,
    });
    expect(await store.expired(10)).toEqual([]);
    expect(await store.claim(runs.job(runId), 'worker-b', LEASE_MS)).toMatchObject({
      generation: 2,
      claims: 2,
    });
  });

  it('release makes the run claimable at once without counting the claim; drop counts it', async () => {
    const runId = await runs.create();
    const first = (await store.claim(runs.job(runId), 'worker-a', LEASE_MS))!;
    expect(await store.release(first)).toBe(true);
    expect(await store.expired(10)).toEqual([runs.job(runId)]);
    const second = (await store.claim(runs.job(runId), 'worker-b', LEASE_MS))!;
    expect(second).toMatchObject({ generation: 2, claims: 1 });
    expect(await store.drop(second)).toBe(true);
    expect(await store.claim(runs.job(runId), 'worker-c', LEASE_MS)).toMatchObject({
      generation: 3,
      claims: 2,
    });
  });

  it('finds unfinished runs whose lease ran out, and queued runs never claimed past the grace, oldest first', async () => {
    const [ranOut, live, ended, fresh, lost, finished] = await Promise.all(
      Array.from({ length: 6 }, () => runs.create()),
    );
    for (const id of [ranOut!, live!, ended!, finished!])
      await store.claim(runs.job(id), 'worker-a', LEASE_MS);
    await runs.expireLease(ranOut!);
    await runs.expireLease(ended!);
    await runs.end(ended!);
    const finishedLease = (await runs.lease(finished!)).lease_generation;
    await store.finish({
      ...runs.job(finished!),
      owner: 'worker-a',
      generation: finishedLease,
      claims: 1,
      expiresAt: 0,
    });
    await database.db.query(`UPDATE responses SET created_at = now() - interval '1 minute' WHERE id = $1`, [
      lost!,
    ]);
    expect(await store.expired(10)).toEqual([runs.job(lost!), runs.job(ranOut!)]);
    expect(await store.expired(1)).toEqual([runs.job(lost!)]);
    expect(fresh).toBeDefined();
  });

  it('fences appends by generation: the old holder cannot write once the run was claimed again', async () => {
    const runId = await runs.create();
    const old = (await store.claim(runs.job(runId), 'worker-a', LEASE_MS))!;
    const append = (generation: number, sequence: number) =>
      database.db.query(`${FENCED_APPEND} RETURNING last_sequence`, [runId, generation, sequence]);
    expect(await append(old.generation, 1)).toHaveLength(1);
    await runs.expireLease(runId);
    const next = (await store.claim(runs.job(runId), 'worker-b', LEASE_MS))!;
    expect(await append(old.generation, 2)).toHaveLength(0);
    expect(await append(next.generation, 2)).toHaveLength(1);
    const rows = await database.db.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM response_event_batches WHERE response_id = $1 ORDER BY last_sequence',
      [runId],
    );
    expect(rows.map((row) => Number(row.last_sequence))).toEqual([1, 2]);
  });
});

describe('RunLeaseStore on PostgreSQL, with two connections', () => {
  let database: MigratedDatabase;
  let store: RunLeaseStore;
  let runs: RunRows;
  beforeEach(async () => {
    database = await openMigratedDatabase('postgres', { prefix: 'agentd_leases' });
    store = new RunLeaseStore(database.db);
    runs = await createRunRows(database.db);
  });
  afterEach(() => database?.close());

  it('makes a claim wait for an append in flight, so the new holder reads the log with it', async () => {
    const runId = await runs.create();
    const old = (await store.claim(runs.job(runId), 'worker-a', LEASE_MS))!;
    await runs.expireLease(runId);
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      const written = await writer.query(FENCED_APPEND, [runId, old.generation, 1]);
      expect(written.rowCount).toBe(1);
      let claimed = false;
      const claim = store.claim(runs.job(runId), 'worker-b', LEASE_MS).then((lease) => {
        claimed = true;
        return lease;
      });
      await vi.waitFor(async () => {
        const [row] = await database.db.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        expect(row?.waiting).toBe(1);
      });
      expect(claimed).toBe(false);
      await writer.query('COMMIT');
      expect(await claim).toMatchObject({ owner: 'worker-b', generation: 2 });
      const [log] = await database.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM response_event_batches WHERE response_id = $1',
        [runId],
      );
      expect(log?.n).toBe(1);
    } finally {
      await writer.end();
    }
  });
});
