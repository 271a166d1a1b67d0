import type { AuditActor, AuditRecord, AuditResource } from './audit-event.js';

/** A row of audit_events as both drivers return it. */
export interface AuditRow {
  tenant_id: string;
  sequence: number | string;
  id: string;
  type: string;
  effective_at: Date | string;
  actor: AuditActor;
  resource_type: string | null;
  resource_id: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export const AUDIT_COLUMNS =
  'tenant_id, sequence, id, type, effective_at, actor, resource_type, resource_id, payload, prev_hash, hash';

export function toRecord(row: AuditRow): AuditRecord {
  const resource: AuditResource | null =
    row.resource_type === null || row.resource_id === null
      ? null
      : { type: row.resource_type, id: row.resource_id };
  return {
    tenantId: row.tenant_id,
    sequence: Number(row.sequence),
    id: row.id,
    type: row.type,
    effectiveAt: new Date(row.effective_at).toISOString(),
    actor: row.actor,
    resource,
    data: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * An event as the API shows it, in the shape of OpenAI's audit log: the
 * payload under a key named after the type, `effective_at` in Unix seconds.
 * `chain` holds what recomputing the hash needs (see linkHash): the exact
 * time, the tenant and the links.
 */
export function toView(record: AuditRecord): Record<string, unknown> {
  return {
    object: 'audit_event',
    id: record.id,
    type: record.type,
    effective_at: Math.floor(Date.parse(record.effectiveAt) / 1000),
    actor: record.actor,
    resource: record.resource,
    [record.type]: record.data,
    chain: {
      tenant_id: record.tenantId,
      sequence: record.sequence,
      timestamp: record.effectiveAt,
      prev_hash: record.prevHash,
      hash: record.hash,
    },
  };
}
