import type { ClaimRead, RunJob, RunLease } from '@agentd/spec';
import { GroupCommit } from './group-commit.js';
import type { SqlClient } from './sql-client.js';

/** The statuses of a run that has not ended: the only ones that can be claimed. */
export const UNFINISHED_STATUSES = "('queued', 'in_progress')";

/** A run nobody holds: never claimed, finished, handed back, or whose lease ran out. */
export const NOT_HELD = '(lease_owner IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= now())';

export interface RunLeaseStoreOptions {
  /**
   * How long a run may stay queued without ever being claimed before the
   * sweeper dispatches it again (its dispatch was lost: the process that
   * created it died before handing it over, or an embedded server restarted).
   */
  dispatchGraceMs?: number;
}

interface LeaseRow {
  tenant_id: string;
  id: string;
  lease_owner: string;
  generation: number;
  claims: number;
  expires_at: number;
}

/** The most claims one statement takes; a longer queue is sent in several. */
const MAX_CLAIMS = 128;

/** A claim taken, with the run as the claim's statement read it (when asked to). */
export interface Claimed {
  lease: RunLease;
  /** ClaimRead.run of the claimed row; absent without a reader, or when the reader failed on the row. */
  run?: unknown;
}

/** A claim as the batched UPDATE reads it. */
interface ClaimRow {
  tenant_id: string;
  id: string;
  owner: string;
  lease_ms: number;
}

/** A claim's lease and the row its statement returned. */
interface ClaimedRow {
  lease: RunLease;
  row: Record<string, unknown>;
}

/** LEASE_COLUMNS of the claimed row (`r`), after the UPDATE. */
const CLAIMED_COLUMNS = `r.tenant_id, r.id, r.lease_owner, r.lease_generation AS generation, r.claims,
  (extract(epoch FROM r.lease_expires_at) * 1000)::float8 AS expires_at`;

const LEASE_COLUMNS = `tenant_id, id, lease_owner, lease_generation AS generation, claims,
  (extract(epoch FROM lease_expires_at) * 1000)::float8 AS expires_at`;

/** The lease's expiry: `$n` milliseconds from the database's now. */
const expiryIn = (param: string) => `now() + (${param}::float8 * interval '1 millisecond')`;

function toLease(row: LeaseRow): RunLease {
  return {
    tenantId: row.tenant_id,
    runId: row.id,
    owner: row.lease_owner,
    generation: Number(row.generation),
    claims: Number(row.claims),
    expiresAt: Number(row.expires_at),
  };
}

/**
 * Leases on runs, kept on the run's own row (`responses`) so that whichever
 * library dispatches runs, who holds a run and with which generation is
 * decided by one conditional UPDATE in the database. Every expiry uses the
 * database's clock.
 */
export class RunLeaseStore {
  private readonly dispatchGraceMs: number;
  /** Claims asked for together, one group per reader (the lease alone, or with the run). */
  private readonly claims = new Map<ClaimRead | undefined, GroupCommit<ClaimRow, ClaimedRow | undefined>>();

  constructor(
    private readonly sql: SqlClient,
    options: RunLeaseStoreOptions = {},
  ) {
    this.dispatchGraceMs = options.dispatchGraceMs ?? 10_000;
  }

  /**
   * Claims a run for `owner` for `leaseMs`: only when it has not ended and
   * nobody holds it (or the holder's lease ran out). Raises the generation
   * and the claim count. Undefined when the run cannot be claimed. Claims
   * asked for together are one statement (GroupCommit, one claim of a run each).
   */
  async claim(job: RunJob, owner: string, leaseMs: number): Promise<RunLease | undefined> {
    return (await this.claimAndRead(job, owner, leaseMs))?.lease;
  }

  /**
   * `claim`, also reading the run with `read` in the same statement, so the
   * worker need not read it back. The lease is taken even if the reader
   * fails on the row: the run is then left for the handler to read.
   */
  async claimAndRead(
    job: RunJob,
    owner: string,
    leaseMs: number,
    read?: ClaimRead,
  ): Promise<Claimed | undefined> {
    const claimed = await this.groupOf(read).add({
      tenant_id: job.tenantId,
      id: job.runId,
      owner,
      lease_ms: leaseMs,
    });
    if (!claimed) return undefined;
    if (!read) return { lease: claimed.lease };
    try {
      return { lease: claimed.lease, run: read.run(claimed.row) };
    } catch {
      return { lease: claimed.lease };
    }
  }

  private groupOf(read: ClaimRead | undefined): GroupCommit<ClaimRow, ClaimedRow | undefined> {
    let group = this.claims.get(read);
    if (!group) {
      group = new GroupCommit((claims) => this.claimAll(claims, read), {
        maxGroup: MAX_CLAIMS,
        keyOf: (claim) => `${claim.tenant_id}/${claim.id}`,
      });
      this.claims.set(read, group);
    }
    return group;
  }

  /**
   * Claims of distinct runs in one UPDATE, in their order: each the lease
   * taken and the row returned, or undefined. The reader's columns come
   * first, so none of them can stand for a lease column of the same name.
   */
  private async claimAll(
    claims: ClaimRow[],
    read: ClaimRead | undefined,
  ): Promise<(ClaimedRow | undefined)[]> {
    const rows = await this.sql.query<LeaseRow & Record<string, unknown>>(
      `UPDATE responses r
          SET lease_owner = c.owner, lease_generation = r.lease_generation + 1, claims = r.claims + 1,
              lease_expires_at = ${expiryIn('c.lease_ms')}
         FROM json_to_recordset($1::json) AS c(tenant_id text, id text, owner text, lease_ms float8)
        WHERE r.id = c.id AND r.tenant_id = c.tenant_id AND r.status IN ${UNFINISHED_STATUSES}
          AND (r.lease_owner IS NULL OR r.lease_expires_at IS NULL OR r.lease_expires_at <= now())
        RETURNING ${read ? `${read.columns}, ` : ''}${CLAIMED_COLUMNS}`,
      [JSON.stringify(claims)],
    );
    const byKey = new Map(rows.map((row) => [`${row.tenant_id}/${row.id}`, row]));
    return claims.map((claim) => {
      const row = byKey.get(`${claim.tenant_id}/${claim.id}`);
      return row ? { lease: toLease(row), row } : undefined;
    });
  }

  /**
   * Extends a lease still held (same owner and generation, not yet run out)
   * to `leaseMs` from now. Undefined when it was lost: it ran out, another
   * worker claimed the run, or the run was given up.
   */
  async extend(lease: RunLease, leaseMs: number): Promise<RunLease | undefined> {
    const [row] = await this.sql.query<LeaseRow>(
      `UPDATE responses SET lease_expires_at = ${expiryIn('$4')}
        WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 AND lease_expires_at > now()
        RETURNING ${LEASE_COLUMNS}`,
      [lease.runId, lease.owner, lease.generation, leaseMs],
    );
    return row ? toLease(row) : undefined;
  }

  /**
   * The holder is done with the run (it ended, or can never run): the lease
   * is cleared and nothing dispatches the run again until it is enqueued
   * anew. False when the lease was no longer held.
   */
  async finish(lease: RunLease): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE responses SET lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 RETURNING id`,
      [lease.runId, lease.owner, lease.generation],
    );
    return rows.length > 0;
  }

  /**
   * The holder hands the run back without ending it (its worker drains): the
   * lease runs out now, so the run is claimable at once and the sweeper finds
   * it if the re-dispatch is lost; the claim is not counted against the
   * run's limit. False when the lease was no longer held.
   */
  async release(lease: RunLease): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE responses SET lease_expires_at = now(), claims = greatest(claims - 1, 0)
        WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 RETURNING id`,
      [lease.runId, lease.owner, lease.generation],
    );
    return rows.length > 0;
  }

  /**
   * The holder drops the run (its handler failed): the lease runs out now
   * and the claim counts, as if the worker had died.
   */
  async drop(lease: RunLease): Promise<boolean> {
    const rows = await this.sql.query(
      `UPDATE responses SET lease_expires_at = now()
        WHERE id = $1 AND lease_owner = $2 AND lease_generation = $3 RETURNING id`,
      [lease.runId, lease.owner, lease.generation],
    );
    return rows.length > 0;
  }

  /**
   * Unfinished runs to dispatch again: those whose lease ran out, and those
   * queued but never claimed for longer than the dispatch grace. Oldest first.
   */
  async expired(limit: number): Promise<RunJob[]> {
    const rows = await this.sql.query<{ tenant_id: string; id: string }>(
      `SELECT tenant_id, id FROM responses
        WHERE status IN ${UNFINISHED_STATUSES}
          AND ((lease_owner IS NOT NULL AND lease_expires_at <= now())
            OR (lease_owner IS NULL AND claims = 0
                AND created_at <= now() - ($1::float8 * interval '1 millisecond')))
        ORDER BY coalesce(lease_expires_at, created_at), id
        LIMIT $2`,
      [this.dispatchGraceMs, limit],
    );
    return rows.map((row) => ({ tenantId: row.tenant_id, runId: row.id }));
  }
}
