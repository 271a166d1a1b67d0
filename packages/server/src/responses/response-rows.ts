import type { Item, Principal, ResponseEvent, ResponseObject } from '@agentd/spec';
import type { RunSpec } from './run-spec.js';

// The rows ResponseRepository reads and writes (responses, response_event_batches).

export interface ResponseRow {
  id: string;
  tenant_id: string;
  snapshot: ResponseObject;
  snapshot_sequence: number;
  input: Item[];
  history: Item[];
  run_spec: RunSpec;
  conversation_id: string | null;
  request_hash: string | null;
}

/** A new row of responses. */
export interface NewResponseRow {
  id: string;
  tenant_id: string;
  status: string;
  snapshot: ResponseObject;
  input: Item[];
  history: Item[];
  run_spec: RunSpec;
  conversation_id: string | null;
  previous_response_id: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  /** Written already claimed by this process (ResponseRepositoryOptions.claimCreated). */
  lease_owner?: string;
  lease_ms?: number;
}

/** A row of response_event_batches; a batch that ends the run carries the final snapshot. */
export interface EventBatchRow {
  response_id: string;
  tenant_id: string;
  first_sequence: number;
  last_sequence: number;
  events: ResponseEvent[];
  snapshot?: ResponseObject;
  status?: string;
  /** The writer's lease generation (fenced), or absent (not fenced). */
  generation?: number;
}

/** A batch the batch statement wrote (a fenced-out one is not among them). */
export interface LoggedBatch {
  response_id: string;
  first_sequence: number;
  /** The principal that created the run (RunSpec.principal). */
  principal: Principal | null;
}
