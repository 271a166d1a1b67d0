import { createHash, randomBytes } from 'node:crypto';
import { toStorableValue } from '@agentd/core';
import canonicalize from 'canonicalize';
import type { AuditActor, AuditEventInput, AuditRecord } from './audit-event.js';
import { actorIdOf } from './audit-event.js';
import type { ChainTip } from './chain-tips.js';

/** Chained records, and the JSON of their rows for the statements of audit-sql.ts (`json_to_recordset`). */
export interface ChainedRecords {
  records: AuditRecord[];
  rows: string;
}

/** An actor as stored and hashed: worked out once per append, not once per event (a run's events share one). */
interface ActorForm {
  plain: AuditActor;
  canonical: string;
  id: string;
}

/**
 * Chains `inputs` onto `tips` (a tenant's last sequence and hash), moving
 * each tip to its last record. Each link's hash is linkHash's (audit-chain.ts):
 * SHA-256 of the RFC 8785 canonical JSON of the record; here the canonical
 * text is put together from its parts, with the actor's canonical form made
 * once per actor, and the same canonical texts of actor and payload are the
 * rows' JSON (the `json` columns keep the text as given), so nothing is
 * serialised twice.
 */
export function chainRecords(
  tips: Map<string, ChainTip>,
  inputs: readonly AuditEventInput[],
): ChainedRecords {
  const now = new Date();
  const actors = new Map<AuditActor, ActorForm>();
  const records: AuditRecord[] = [];
  const rows: string[] = [];
  // One draw from the CSPRNG for every id of the append.
  const random = randomBytes(ID_RANDOM_BYTES * inputs.length).toString('hex');
  for (const [index, input] of inputs.entries()) {
    const tip = tips.get(input.tenantId);
    // Appending without the head would fork the chain: a caller's bug, never a guess.
    if (!tip) throw new Error(`The audit chain head of ${input.tenantId} is not held by this transaction.`);
    let actor = actors.get(input.actor);
    if (!actor) {
      const plain = plainJson(input.actor);
      actor = { plain, canonical: canonical(plain), id: JSON.stringify(actorIdOf(plain)) };
      actors.set(input.actor, actor);
    }
    // Stored as JSON and read back: hash exactly what a reader will see.
    const data = plainJson(input.data);
    const payload = canonical(data);
    const sequence = tip.sequence + 1;
    const id = auditEventId(
      sequence,
      random.slice(index * ID_RANDOM_BYTES * 2, (index + 1) * ID_RANDOM_BYTES * 2),
    );
    const effectiveAt = (input.effectiveAt ?? now).toISOString();
    const resource = input.resource ? { type: input.resource.type, id: input.resource.id } : null;
    const fields = {
      effectiveAt: JSON.stringify(effectiveAt),
      id: JSON.stringify(id),
      prevHash: JSON.stringify(tip.hash),
      tenantId: JSON.stringify(input.tenantId),
      type: JSON.stringify(input.type),
      resourceType: resource ? JSON.stringify(resource.type) : 'null',
      resourceId: resource ? JSON.stringify(resource.id) : 'null',
    };
    // RFC 8785: members in the order of their names' UTF-16 code units.
    const linked =
      `{"actor":${actor.canonical},"data":${payload},"effective_at":${fields.effectiveAt},"id":${fields.id},` +
      `"prev_hash":${fields.prevHash},"resource":${resource ? `{"id":${fields.resourceId},"type":${fields.resourceType}}` : 'null'},` +
      `"sequence":${sequence},"tenant_id":${fields.tenantId},"type":${fields.type}}`;
    const hash = createHash('sha256').update(linked, 'utf8').digest('hex');
    records.push({
      tenantId: input.tenantId,
      sequence,
      id,
      type: input.type,
      effectiveAt,
      actor: actor.plain,
      resource,
      data,
      prevHash: tip.hash,
      hash,
    });
    rows.push(
      `{"tenant_id":${fields.tenantId},"sequence":${sequence},"id":${fields.id},"type":${fields.type},` +
        `"effective_at":${fields.effectiveAt},"actor_id":${actor.id},"actor":${actor.canonical},` +
        `"resource_type":${fields.resourceType},"resource_id":${fields.resourceId},"payload":${payload},` +
        `"prev_hash":${fields.prevHash},"hash":"${hash}"}`,
    );
    tips.set(input.tenantId, { sequence, hash });
  }
  return { records, rows: `[${rows.join(',')}]` };
}

/** Random bytes an id carries beside its sequence, so ids of different tenants differ too. */
const ID_RANDOM_BYTES = 8;

/** New ids: `audit_<sequence>_<16 hex>` (migration 0017). Earlier rows have ULIDs, `audit_` and 26 characters. */
const SEQUENCE_ID = /^audit_([1-9][0-9]{0,14})_[0-9a-f]{16}$/;

function auditEventId(sequence: number, randomHex: string): string {
  return `audit_${sequence}_${randomHex}`;
}

/**
 * The chain sequence an event id names, when it is of the form that carries
 * one (migration 0017); undefined for the ULID ids of rows written before,
 * and for anything else.
 */
export function sequenceOfId(id: string): number | undefined {
  const match = SEQUENCE_ID.exec(id);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('An audit event has no canonical form.');
  return text;
}

/**
 * The value as the database will give it back: plain JSON, with NUL and
 * unpaired surrogates replaced as every stored text is (they would also
 * leave the event without a canonical form to hash).
 */
function plainJson<T>(value: T): T {
  return toStorableValue(JSON.parse(JSON.stringify(value)) as T);
}
