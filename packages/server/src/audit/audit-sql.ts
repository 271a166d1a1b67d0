import { GENESIS_HASH } from './audit-chain.js';

/*
 * The statements that append to audit chains (AuditLog). Two ways:
 *
 * - locked: a transaction takes each tenant's head row (lockHeadsCte), the
 *   events are chained in the process, then APPEND inserts them and moves
 *   the heads. Always succeeds; holds the heads for the round trips between.
 * - chained: the events are chained onto the heads this process last saw
 *   and one statement, the caller's own (chainedAppendCtes), inserts them
 *   and moves each head only where it still stands there. No transaction,
 *   no lock held between round trips; when a head has moved the statement
 *   fails whole (audit_chain_check, SQLSTATE AU001) and the caller takes
 *   the locked way.
 */

/** What json_to_recordset reads of an audit row. */
const ROWS = (param: number) => `json_to_recordset($${param}::json) AS r(tenant_id text, sequence bigint,
  id text, type text, effective_at timestamptz, actor_id text, actor json, resource_type text, resource_id text,
  payload json, prev_hash text, hash text)`;

const COLUMNS = `tenant_id, sequence, id, type, effective_at, actor_id, actor, resource_type, resource_id, payload,
  prev_hash, hash`;

/** The SQLSTATE of audit_chain_check (migration 0014): a head moved, nothing was written. */
export const CHAIN_MOVED = 'AU001';

/**
 * A CTE, `audit_heads`, that creates the chain head of each tenant (in the
 * JSON array parameter `$n`) that has none and locks every one until the
 * transaction ends (an upsert takes the row lock, in tenant order so writers
 * never deadlock); it returns where each chain stands. A statement that
 * writes something else can take the heads with it (one round trip less),
 * then `appendAt` the events.
 */
export function lockHeadsCte(tenantsParam: number): string {
  return `audit_heads AS (
    INSERT INTO audit_chain_heads (tenant_id, sequence, hash)
    SELECT t.tenant_id, 0, '${GENESIS_HASH}' FROM json_array_elements_text($${tenantsParam}::json) AS t(tenant_id)
    ORDER BY t.tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET sequence = audit_chain_heads.sequence
    RETURNING tenant_id, sequence, hash
  )`;
}

export const LOCK_HEADS = `WITH ${lockHeadsCte(1)} SELECT tenant_id, sequence, hash FROM audit_heads`;

/** Appends the chained rows and moves each tenant's head to its last one (the heads are held). */
export const APPEND = `WITH rows AS (SELECT * FROM ${ROWS(1)}), appended AS (
    INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM rows
  )
  UPDATE audit_chain_heads h SET sequence = last.sequence, hash = last.hash
  FROM (SELECT DISTINCT ON (tenant_id) tenant_id, sequence, hash FROM rows ORDER BY tenant_id, sequence DESC) last
  WHERE h.tenant_id = last.tenant_id`;

/**
 * CTEs that append chained rows (JSON parameter `$rows`) and move each head
 * (`$moves`: tenant_id, from_sequence, from_hash, sequence, hash) only where
 * it still stands at `from`. `audit_checked` fails the whole statement
 * (CHAIN_MOVED) unless every head moved and `condition` (the caller's SQL:
 * that its own rows were all written, say) holds; the rows are inserted
 * only after it, under the heads this statement now holds, so they never
 * collide with another writer's. A head row locked by a concurrent writer is
 * waited for, and found moved once that writer commits.
 */
export function chainedAppendCtes(params: { rows: number; moves: number }, condition = 'true'): string {
  return `audit_moved AS (
    UPDATE audit_chain_heads h SET sequence = m.sequence, hash = m.hash
    FROM json_to_recordset($${params.moves}::json)
      AS m(tenant_id text, from_sequence bigint, from_hash text, sequence bigint, hash text)
    WHERE h.tenant_id = m.tenant_id AND h.sequence = m.from_sequence AND h.hash = m.from_hash
    RETURNING h.tenant_id
  ), audit_checked AS (
    SELECT audit_chain_check(
      (SELECT count(*) FROM audit_moved) = json_array_length($${params.moves}::json) AND (${condition})
    ) AS ok
  ), audit_appended AS (
    INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM ${ROWS(params.rows)}
    WHERE (SELECT ok FROM audit_checked)
  )`;
}
