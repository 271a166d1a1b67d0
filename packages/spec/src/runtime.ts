/**
 * The run runtime's contracts: how runs are queued and claimed, how their
 * persisted events reach the processes that stream them, and how a cancel
 * reaches the process running a run. Each has an in-process implementation
 * (embedded mode) and one on PostgreSQL or Redis (scaled mode), and one
 * contract suite in @agentd/testing that both run.
 */
import type { ResponseEvent } from './response.js';

/** A run to be executed: a stored response in `queued` or `in_progress`. */
export interface RunJob {
  readonly tenantId: string;
  readonly runId: string;
}

/**
 * A worker's hold on a run. Only the holder of the run's current generation
 * may append its events; a claim by anyone else (after this lease ran out)
 * raises the generation, and the old holder's writes are refused (fencing).
 */
export interface RunLease extends RunJob {
  /** Who holds it: a worker id, unique per process. */
  readonly owner: string;
  /** Raised by every claim of the run. */
  readonly generation: number;
  /** How many times the run has been claimed, this claim included. */
  readonly claims: number;
  /** When the lease runs out unless extended, in milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** What a consumer is handed: the lease, and a signal that aborts when the lease is lost. */
export interface RunClaim {
  readonly lease: RunLease;
  /** Aborts when the lease was lost (not extended in time, or claimed by another worker). */
  readonly lost: AbortSignal;
  /**
   * The run as the claim's own statement read it (RunConsumerOptions.claimRead):
   * absent when the queue did not read it (no reader, or a lease taken over
   * from the run's create), and the handler reads the run itself.
   */
  readonly run?: unknown;
}

/**
 * A read of the claimed run made in the claim's statement, so that a worker
 * does not read the run back after claiming it: one round trip fewer a run.
 */
export interface ClaimRead<Run = unknown> {
  /** A select list over the claimed run's row, aliased `r`, as it is after the claim. */
  readonly columns: string;
  /** The run from one row the claim returned. */
  run(row: Record<string, unknown>): Run;
}

/** How a claimed run ended, for the queue. */
export type RunOutcome =
  /** The run is done with (ended, or can never run): it is not delivered again. */
  | 'finished'
  /**
   * The run ended and the write of its end also ended the lease (the fenced
   * terminal batch clears it in the same statement): done with, as
   * `finished`, and the queue has nothing left to write.
   */
  | 'ended'
  /** The run stopped without ending (the worker drains): it is claimable again at once. */
  | 'released';

export type RunHandler = (claim: RunClaim) => Promise<RunOutcome>;

export interface RunConsumer {
  /**
   * Stops claiming. Runs in hand are given `graceMs` to end; then their
   * handlers' signals are aborted and the queue waits for them to return.
   */
  stop(graceMs?: number): Promise<void>;
}

export interface RunConsumerOptions {
  /** Who claims: unique per process. */
  owner: string;
  /** Runs held at once by this consumer. */
  concurrency: number;
  /** How long a claim lasts unless extended; the consumer extends it while the handler works. */
  leaseMs: number;
  /** Claims after which a dropped run is not delivered again but given to `exhausted`. */
  maxClaims: number;
  /** Told about a run that was claimed and dropped `maxClaims` times: it must be ended as failed. */
  exhausted?: (job: RunJob, claims: number) => Promise<void>;
  /** Aborts every handler (their signals) when the consumer is stopped past its grace. */
  signal?: AbortSignal;
  /** Read the run in the claim's statement and hand it to the handler (RunClaim.run). */
  claimRead?: ClaimRead;
}

/**
 * Runs waiting to execute. A run is delivered to one consumer at a time
 * under a lease the consumer keeps extending; a lease that runs out (its
 * worker died or stalled) makes the run claimable again, with a higher
 * generation. Enqueueing a run that is already queued or held is a no-op.
 */
/** What the caller of `enqueue` knows about the run. */
export interface EnqueueOptions {
  /**
   * The caller has just created the run (queued, never dispatched, held by
   * nobody): a queue may skip checking that. A claim still decides.
   */
  created?: boolean;
  /**
   * The run was created already claimed by this process under this lease
   * (its row written with the lease, in the create's statement): a queue
   * that delivers it here hands the lease over instead of claiming again.
   */
  lease?: RunLease;
}

export interface RunQueue {
  enqueue(job: RunJob, options?: EnqueueOptions): Promise<void>;
  /** Starts delivering runs to `handler`. */
  consume(handler: RunHandler, options: RunConsumerOptions): RunConsumer;
  /** Runs waiting to be claimed (for autoscaling). */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** Live events of one run, in order; `end` is the terminal event, if the run ended. */
export type RunEventListener = (events: readonly ResponseEvent[]) => void;

export interface RunSubscribeOptions {
  /**
   * The listener waits only for the run's end (a request answered when the
   * run ends), not for its events as they come: see `followedLive`.
   */
  endOnly?: boolean;
}

/**
 * Live fan-out of persisted run events to every process that streams them.
 * `publish` is called after the events are persisted, in sequence order.
 * Delivery is best effort: a listener may miss events (a process or Redis
 * restarted) and learns of it by a gap in the sequence numbers; followRun
 * (in @agentd/runtime) fills gaps from the log, so the stream a client sees
 * has none.
 */
export interface RunEventBus {
  publish(runId: string, events: readonly ResponseEvent[]): Promise<void>;
  /**
   * Listens to a run's events with a sequence number above `after`: those the
   * bus still holds first (a replay), then live ones. The returned function
   * stops listening.
   */
  subscribe(
    runId: string,
    after: number,
    listener: RunEventListener,
    options?: RunSubscribeOptions,
  ): () => void;
  /**
   * Whether anyone follows the run's events as they come (a stream), not only
   * its end: a run nobody follows live need not write its first delta at once
   * (ADR-0040). Optional: a bus whose listeners may be in other processes
   * leaves it out, and every run counts as followed.
   */
  followedLive?(runId: string): boolean;
  /** Whether live delivery is working; when it is not, followers read the log instead. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** A cancel request: reaches the process running the run, wherever it is. */
export interface RunCancels {
  /** Asks whoever runs `runId` to stop it. */
  request(runId: string, reason: string): Promise<void>;
  /** Called with every cancel request this process hears. The returned function stops listening. */
  listen(listener: (runId: string, reason: string) => void): () => void;
  close(): Promise<void>;
}
