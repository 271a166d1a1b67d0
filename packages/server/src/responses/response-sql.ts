import { chainedAppendCtes, lockHeadsCte } from '../audit/audit-sql.js';

/*
 * The statements that write responses and their event logs (ResponseRepository).
 */

/**
 * Inserts responses, each with its first event (response.created); returns
 * the ids inserted, which leaves out idempotent repeats. A row with a
 * `lease_owner` is written already claimed by it (generation 1, one claim,
 * `lease_ms` from the database's now): the creating process's first claim.
 * With `enqueueTask` (scaled mode), each queued run inserted is also added to
 * graphile-worker's queue under that task, in the same statement: the run
 * and its job commit together, in one round trip.
 */
function responseCtes(enqueueTask: string | undefined): string {
  const enqueued =
    enqueueTask === undefined
      ? ''
      : `, enqueued AS (
    SELECT graphile_worker.add_job('${enqueueTask.replaceAll("'", "''")}',
      json_build_object('tenantId', tenant_id, 'runId', id), job_key := id, max_attempts := 1)
    FROM inserted WHERE status = 'queued'
  )`;
  return `inserted AS (
    INSERT INTO responses (id, tenant_id, status, snapshot, snapshot_sequence, input, history, run_spec,
      conversation_id, previous_response_id, idempotency_key, request_hash,
      lease_owner, lease_generation, claims, lease_expires_at)
    SELECT id, tenant_id, status, snapshot, 1, input, history, run_spec, conversation_id,
      previous_response_id, idempotency_key, request_hash,
      lease_owner, CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END, CASE WHEN lease_owner IS NULL THEN 0 ELSE 1 END,
      CASE WHEN lease_owner IS NOT NULL THEN now() + lease_ms * interval '1 millisecond' END
    FROM json_to_recordset($1::json) AS n(id text, tenant_id text, status text, snapshot json, input json,
      history json, run_spec json, conversation_id text, previous_response_id text, idempotency_key text,
      request_hash text, lease_owner text, lease_ms float8)
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id, tenant_id, status, snapshot
  ), logged AS (
    INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
    SELECT id, tenant_id, 1, 1,
      json_build_array(json_build_object('type', 'response.created', 'response', snapshot, 'sequence_number', 1))
    FROM inserted
  )${enqueued}`;
}

/** The statements that insert responses (see responseCtes). */
export interface ResponseInserts {
  plain: string;
  /** The same, taking the audit chain heads of the tenants in $2 (see lockHeadsCte) in the same statement. */
  audited: string;
  /**
   * The same, appending the audit events chained onto known heads ($2 moves,
   * $3 rows; see chainedAppendCtes) in the same statement; it fails whole
   * (nothing inserted) when a head moved or a response was not inserted (an
   * idempotent repeat), and the caller writes the locked way.
   */
  chained: string;
}

export function responseInserts(enqueueTask?: string): ResponseInserts {
  const ctes = responseCtes(enqueueTask);
  // A CTE that only selects runs only when read: the jobs are counted, so they are added.
  const jobs = enqueueTask === undefined ? '' : ', (SELECT count(*) FROM enqueued) AS jobs';
  return {
    plain: `WITH ${ctes} SELECT id${jobs} FROM inserted`,
    audited: `WITH ${ctes}, ${lockHeadsCte(2)}
  SELECT (SELECT json_agg(id) FROM inserted) AS ids, (SELECT json_agg(audit_heads) FROM audit_heads) AS heads${jobs}`,
    chained: `WITH ${ctes}, ${chainedAppendCtes(
      { moves: 2, rows: 3 },
      '(SELECT count(*) FROM inserted) = json_array_length($1::json)',
    )}
  SELECT (SELECT json_agg(id) FROM inserted) AS ids, (SELECT ok FROM audit_checked) AS audit_ok${jobs}`,
  };
}

const BATCHES = `json_to_recordset($1::json) AS b(response_id text, tenant_id text, first_sequence integer,
  last_sequence integer, events json, snapshot json, status text, generation integer)`;

/**
 * Logs the batches, and stores the final snapshot of each run one of them
 * ends; a fenced batch that ends its run also ends the lease (the holder has
 * nothing left to write, and no separate UPDATE is needed). A batch with a lease generation is written only while its run's row
 * still carries that generation (fencing): the row is locked FOR SHARE, so a
 * claim by another worker either commits first (and the batch is refused)
 * or waits for this write. Returns the batches written, with the actor their
 * run's audit events name.
 */
const BATCH_CTES = `batches AS (SELECT * FROM ${BATCHES}), held AS (
    SELECT r.tenant_id, r.id FROM responses r JOIN batches b ON r.tenant_id = b.tenant_id AND r.id = b.response_id
    WHERE b.generation IS NOT NULL AND r.lease_generation = b.generation
    FOR SHARE OF r
  ), fenced AS (
    SELECT * FROM batches b
    WHERE b.generation IS NULL OR EXISTS (SELECT 1 FROM held h WHERE h.tenant_id = b.tenant_id AND h.id = b.response_id)
  ), logged AS (
    INSERT INTO response_event_batches (response_id, tenant_id, first_sequence, last_sequence, events)
    SELECT response_id, tenant_id, first_sequence, last_sequence, events FROM fenced
    RETURNING response_id, tenant_id, first_sequence
  ), finished AS (
    UPDATE responses SET snapshot = b.snapshot, snapshot_sequence = b.last_sequence, status = b.status,
      updated_at = now(),
      lease_owner = CASE WHEN b.generation IS NULL THEN responses.lease_owner END,
      lease_expires_at = CASE WHEN b.generation IS NULL THEN responses.lease_expires_at END
    FROM fenced b
    WHERE b.snapshot IS NOT NULL AND responses.tenant_id = b.tenant_id AND responses.id = b.response_id
  ), written AS (
    SELECT l.response_id, l.first_sequence, r.run_spec->'principal' AS principal FROM logged l
    LEFT JOIN responses r ON r.tenant_id = l.tenant_id AND r.id = l.response_id
  )`;

export const INSERT_BATCHES = `WITH ${BATCH_CTES} SELECT * FROM written`;

/** The same, taking the audit chain heads of the tenants in $2 (see lockHeadsCte) in the same statement. */
export const INSERT_BATCHES_AUDITED = `WITH ${BATCH_CTES}, ${lockHeadsCte(2)}
  SELECT (SELECT json_agg(written) FROM written) AS written, (SELECT json_agg(audit_heads) FROM audit_heads) AS heads`;

/**
 * The same, appending the audit events chained onto known heads ($2 moves,
 * $3 rows; see chainedAppendCtes) in the same statement; it fails whole
 * (nothing written) when a head moved or a batch was fenced out, and the
 * caller writes the locked way.
 */
export const INSERT_BATCHES_CHAINED = `WITH ${BATCH_CTES}, ${chainedAppendCtes(
  { moves: 2, rows: 3 },
  '(SELECT count(*) FROM fenced) = json_array_length($1::json)',
)}
  SELECT (SELECT json_agg(written) FROM written) AS written, (SELECT ok FROM audit_checked) AS audit_ok`;
