import { randomBytes } from 'node:crypto';
import type { RunJob } from '@agentd/spec';

/** The least a contract needs of a database: one parameterised statement and its rows. */
export interface ContractSql {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly (string | number | boolean | null | Date)[],
  ): Promise<Row[]>;
}

/** A run's lease as its row holds it. */
export interface LeaseRow {
  status: string;
  lease_owner: string | null;
  lease_generation: number;
  claims: number;
  /** Milliseconds since the epoch, or null. */
  expires_at: number | null;
}

export interface RunRows {
  readonly tenantId: string;
  /** Writes a queued run (a minimal `responses` row) and returns its id. */
  create(): Promise<string>;
  job(runId: string): RunJob;
  lease(runId: string): Promise<LeaseRow>;
  /** Ends a run, as its handler does when the run completes. */
  end(runId: string): Promise<void>;
  /** Ends every run of this tenant, so that no sweeper dispatches them after the test. */
  endAll(): Promise<void>;
  setClaims(runId: string, claims: number): Promise<void>;
  /** Makes the run's lease run out now, as if its holder had stalled past it. */
  expireLease(runId: string): Promise<void>;
}

/** Runs of a tenant of their own, written with plain SQL (the columns of migrations 0002 and 0008). */
export async function createRunRows(sql: ContractSql): Promise<RunRows> {
  const tenantId = `ten_rq_${randomBytes(6).toString('hex')}`;
  await sql.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [tenantId]);
  return {
    tenantId,
    async create() {
      const runId = `resp_rq_${randomBytes(8).toString('hex')}`;
      await sql.query(
        `INSERT INTO responses (id, tenant_id, status, snapshot, input, history, run_spec)
         VALUES ($1, $2, 'queued', '{}', '[]', '[]', '{}')`,
        [runId, tenantId],
      );
      return runId;
    },
    job: (runId) => ({ tenantId, runId }),
    async lease(runId) {
      const [row] = await sql.query<LeaseRow>(
        `SELECT status, lease_owner, lease_generation, claims,
                (extract(epoch FROM lease_expires_at) * 1000)::float8 AS expires_at
           FROM responses WHERE id = $1`,
        [runId],
      );
      if (!row) throw new Error(`run ${runId} does not exist`);
      return { ...row, lease_generation: Number(row.lease_generation), claims: Number(row.claims) };
    },
    async end(runId) {
      await sql.query(`UPDATE responses SET status = 'completed' WHERE id = $1`, [runId]);
    },
    async endAll() {
      await sql.query(`UPDATE responses SET status = 'completed' WHERE tenant_id = $1`, [tenantId]);
    },
    async setClaims(runId, claims) {
      await sql.query('UPDATE responses SET claims = $2 WHERE id = $1', [runId, claims]);
    },
    async expireLease(runId) {
      await sql.query(`UPDATE responses SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [
        runId,
      ]);
    },
  };
}
