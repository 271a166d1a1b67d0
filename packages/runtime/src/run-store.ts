import type { ClaimRead, Item, ResponseEvent, ResponseObject, RunLease } from '@agentd/spec';

/** A stored run (a response) as the runtime sees it; `runSpec` is the gateway's, passed through. */
export interface StoredRun<Spec = unknown> {
  id: string;
  tenantId: string;
  /** The current response: the stored snapshot folded with any later events. */
  snapshot: ResponseObject;
  input: Item[];
  history: Item[];
  runSpec: Spec;
  conversationId: string | null;
  lastSequence: number;
  requestHash: string | null;
  /**
   * Set when the create wrote the row already claimed by this process (its
   * first claim, made in the insert): the lease it holds. Never stored.
   */
  lease?: RunLease;
  /** Set when the create also put the run on the queue (scaled mode), in the same statement. Never stored. */
  enqueued?: boolean;
}

/** Where runs and their event logs are kept (the gateway's response repository). */
export interface RunStore<Spec = unknown> {
  get(tenantId: string, id: string): Promise<StoredRun<Spec>>;
  /**
   * The read `get` makes, as columns of a claim's statement (a store on the
   * queue's database): a worker that claims a run is handed it as stored and
   * does not read it back. Without it, the worker calls `get`.
   */
  readonly claimRead?: ClaimRead<StoredRun<Spec>>;
  /**
   * Appends numbered events; the snapshot is stored with a batch that ends
   * the run. With `generation`, the write is refused (RunLeaseLost) unless
   * the run's lease is still at that generation (fencing).
   */
  appendEvents(
    tenantId: string,
    id: string,
    events: ResponseEvent[],
    snapshot: ResponseObject,
    generation?: number,
  ): Promise<void>;
  /** The events after sequence number `after`, in order. */
  events(tenantId: string, id: string, after: number): Promise<ResponseEvent[]>;
  /** How many model turns a run has finished. */
  countSteps(tenantId: string, id: string): Promise<number>;
  /** Runs left queued or in progress, in every tenant (recovery at start). */
  listUnfinished(): Promise<StoredRun<Spec>[]>;
}

/** A fenced write was refused: another worker claimed the run since this one's lease. */
export class RunLeaseLost extends Error {
  constructor(readonly runId: string) {
    super(`the lease on run '${runId}' was lost to another worker`);
    this.name = 'RunLeaseLost';
  }
}
