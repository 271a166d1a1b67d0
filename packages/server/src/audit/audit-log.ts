import { toStorableValue } from '@agentd/core';
import { newId } from '../ids.js';
import type { Database, Queryable } from '../storage/database.js';
import { type BrokenLink, ChainWalker, GENESIS_HASH, linkHash } from './audit-chain.js';
import { type AuditEventInput, type AuditRecord, actorIdOf } from './audit-event.js';
import { AUDIT_COLUMNS, type AuditRow, toRecord } from './audit-rows.js';

/** Where a tenant's chain stands: its last sequence and hash. */
export interface ChainHead {
  tenant_id: string;
  sequence: number | string;
  hash: string;
}

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

/** The tenants whose heads events need, as `lockHeadsCte`'s parameter. */
export function tenantsOf(events: readonly AuditEventInput[]): string {
  return JSON.stringify([...new Set(events.map((event) => event.tenantId))].sort());
}

const LOCK_HEADS = `WITH ${lockHeadsCte(1)} SELECT tenant_id, sequence, hash FROM audit_heads`;

/** Appends the chained rows and moves each tenant's head to its last one. */
const APPEND = `WITH rows AS (
    SELECT * FROM json_to_recordset($1::json) AS r(tenant_id text, sequence bigint, id text, type text,
      effective_at timestamptz, actor_id text, actor json, resource_type text, resource_id text, payload json,
      prev_hash text, hash text)
  ), appended AS (
    INSERT INTO audit_events (tenant_id, sequence, id, type, effective_at, actor_id, actor, resource_type,
      resource_id, payload, prev_hash, hash)
    SELECT tenant_id, sequence, id, type, effective_at, actor_id, actor, resource_type, resource_id, payload,
      prev_hash, hash FROM rows
  )
  UPDATE audit_chain_heads h SET sequence = last.sequence, hash = last.hash
  FROM (SELECT DISTINCT ON (tenant_id) tenant_id, sequence, hash FROM rows ORDER BY tenant_id, sequence DESC) last
  WHERE h.tenant_id = last.tenant_id`;

/** Rows verified per read. */
const VERIFY_PAGE = 1000;

/** What `verify` found. */
export interface ChainVerification {
  object: 'audit_chain.verification';
  valid: boolean;
  /** Links checked and found sound, from the first. */
  events_verified: number;
  /** The chain's recorded end, when the tenant has one. */
  head: { sequence: number; hash: string } | null;
  /** The first broken link. */
  broken: BrokenLink | null;
}

/**
 * The audit log: append-only, hash-chained per tenant (ADR-0021).
 *
 * Other parts of agentd record events with `record(tx, events)` inside the
 * transaction of the change they describe, so the change and its audit
 * event commit or roll back together; `append(events)` opens a transaction
 * of its own, for events that record no write (a login, a refused token).
 */
export class AuditLog {
  constructor(private readonly db: Database) {}

  /**
   * Appends events to their tenants' chains within `tx`. The chain heads of
   * the tenants involved stay locked until `tx` ends: keep the rest of the
   * transaction short.
   */
  async record(tx: Queryable, events: AuditEventInput | readonly AuditEventInput[]): Promise<AuditRecord[]> {
    const inputs = Array.isArray(events) ? events : [events as AuditEventInput];
    if (inputs.length === 0) return [];
    const heads = await tx.query<ChainHead>(LOCK_HEADS, [tenantsOf(inputs)]);
    return this.appendAt(tx, heads, inputs);
  }

  /**
   * Appends events to chains whose heads `tx` already holds (taken by a
   * statement with `lockHeadsCte`, for every tenant of the events).
   */
  async appendAt(
    tx: Queryable,
    heads: readonly ChainHead[],
    inputs: readonly AuditEventInput[],
  ): Promise<AuditRecord[]> {
    if (inputs.length === 0) return [];
    const tips = new Map(
      heads.map((head) => [head.tenant_id, { sequence: Number(head.sequence), hash: head.hash }]),
    );
    const now = new Date();
    const records = inputs.map((input) => {
      const tip = tips.get(input.tenantId);
      // Appending without the head would fork the chain: a caller's bug, never a guess.
      if (!tip) throw new Error(`The audit chain head of ${input.tenantId} is not held by this transaction.`);
      const unhashed: Omit<AuditRecord, 'hash'> = {
        tenantId: input.tenantId,
        sequence: tip.sequence + 1,
        id: newId('auditEvent'),
        type: input.type,
        effectiveAt: (input.effectiveAt ?? now).toISOString(),
        // Stored as JSON and read back: hash exactly what a reader will see.
        actor: plainJson(input.actor),
        resource: input.resource ? { type: input.resource.type, id: input.resource.id } : null,
        data: plainJson(input.data),
        prevHash: tip.hash,
      };
      const record: AuditRecord = { ...unhashed, hash: linkHash(unhashed) };
      tips.set(input.tenantId, { sequence: record.sequence, hash: record.hash });
      return record;
    });
    await tx.query(APPEND, [JSON.stringify(records.map(toRow))]);
    return records;
  }

  /** Appends events in a transaction of their own. */
  append(events: AuditEventInput | readonly AuditEventInput[]): Promise<AuditRecord[]> {
    return this.db.transaction((tx) => this.record(tx, events));
  }

  /**
   * Walks a tenant's chain from its first event to its head, recomputing
   * every hash, and names the first broken link: an edited row
   * (hash_mismatch), a row that does not follow the one before
   * (prev_hash_mismatch), a deleted one (missing).
   */
  async verify(tenantId: string): Promise<ChainVerification> {
    const [headRow] = await this.db.query<{ sequence: number | string; hash: string }>(
      'SELECT sequence, hash FROM audit_chain_heads WHERE tenant_id = $1',
      [tenantId],
    );
    const head = headRow ? { sequence: Number(headRow.sequence), hash: headRow.hash } : null;
    const walker = new ChainWalker();
    let after = 0;
    while (head && after < head.sequence) {
      const rows = await this.db.query<AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE tenant_id = $1 AND sequence > $2 AND sequence <= $3
         ORDER BY sequence LIMIT ${VERIFY_PAGE}`,
        [tenantId, after, head.sequence],
      );
      if (!walker.check(rows.map(toRecord)) || rows.length < VERIFY_PAGE) break;
      after = Number(rows.at(-1)?.sequence);
    }
    const broken = walker.end(head);
    return {
      object: 'audit_chain.verification',
      valid: broken === null,
      events_verified: walker.verified,
      head,
      broken,
    };
  }
}

function toRow(record: AuditRecord) {
  return {
    tenant_id: record.tenantId,
    sequence: record.sequence,
    id: record.id,
    type: record.type,
    effective_at: record.effectiveAt,
    actor_id: actorIdOf(record.actor),
    actor: record.actor,
    resource_type: record.resource?.type ?? null,
    resource_id: record.resource?.id ?? null,
    payload: record.data,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

/**
 * The value as the database will give it back: plain JSON, with NUL and
 * unpaired surrogates replaced as every stored text is (they would also
 * leave the event without a canonical form to hash).
 */
function plainJson<T>(value: T): T {
  return toStorableValue(JSON.parse(JSON.stringify(value)) as T);
}
