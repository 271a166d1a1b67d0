import type { Principal } from '@agentd/spec';
import { type AuditActor, actorOf, SYSTEM_ACTOR } from '../audit/audit-event.js';
import { auditEventsOfRun } from '../audit/run-audit-events.js';
import type { EventBatchRow, LoggedBatch } from './response-rows.js';

/** The audit events of the batches written (a fenced-out batch records nothing). */
export function auditEventsOfBatches(batches: EventBatchRow[], written: LoggedBatch[]) {
  const actors = new Map(written.map((row) => [`${row.response_id}/${row.first_sequence}`, row.principal]));
  return batches.flatMap((batch) => {
    const key = `${batch.response_id}/${batch.first_sequence}`;
    if (!actors.has(key)) return [];
    return auditEventsOfRun(batch.tenant_id, batch.response_id, batch.events, runActor(actors.get(key)));
  });
}

/** Who a run's audit events name: its creator (runs stored before RunSpec.principal: agentd). */
export function runActor(principal: Principal | null | undefined): AuditActor {
  return principal ? actorOf(principal) : SYSTEM_ACTOR;
}
