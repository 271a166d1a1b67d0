import { isTerminal } from '@agentd/core';
import type { StoredRun } from '@agentd/runtime';
import type { ClaimRead, ResponseEvent } from '@agentd/spec';
import type { ResponseRow } from './responses/response-rows.js';
import type { RunSpec } from './responses/run-spec.js';

/** The columns of `responses` a stored run is made of, besides its ids (the claim returns those). */
const RUN_COLUMNS =
  'r.snapshot, r.snapshot_sequence, r.input, r.history, r.run_spec, r.conversation_id, r.request_hash';

/** The events logged after the claimed row's snapshot, batch by batch, in order. */
const LATER_EVENTS = `(SELECT coalesce(json_agg(b.events ORDER BY b.last_sequence), '[]'::json)
    FROM response_event_batches b
   WHERE b.tenant_id = r.tenant_id AND b.response_id = r.id AND b.last_sequence > r.snapshot_sequence) AS later`;

/**
 * The read ResponseRepository.get makes (the row, and the events logged
 * after its snapshot), as columns of the worker's claim statement: a worker
 * is handed the run it claimed and does not read it back. `toStored` is the
 * repository's own fold of a row and its later events.
 */
export function responseClaimRead(
  toStored: (row: ResponseRow, later: ResponseEvent[]) => StoredRun<RunSpec>,
): ClaimRead<StoredRun<RunSpec>> {
  return {
    columns: `${RUN_COLUMNS}, ${LATER_EVENTS}`,
    run(row) {
      const claimed = row as unknown as ResponseRow & { later: ResponseEvent[][] | null };
      if (isTerminal(claimed.snapshot.status)) return toStored(claimed, []);
      // Never null (only claimable runs are claimed); if it were, the worker reads the run itself.
      if (!claimed.later) throw new Error(`the claim of run ${claimed.id} did not read its events`);
      const after = Number(claimed.snapshot_sequence);
      return toStored(
        claimed,
        claimed.later.flat().filter((event) => event.sequence_number > after),
      );
    },
  };
}
