import { isTerminal, RunSuspended } from '@agentd/core';
import {
  AgentdError,
  type ResponseEvent,
  type ResponseObject,
  type RunCancels,
  type RunClaim,
  type RunConsumer,
  type RunEventBus,
  type RunOutcome,
  type RunQueue,
} from '@agentd/spec';
import type { Logger } from 'pino';
import { followRun } from './events/follow-run.js';
import { RunFollower, type RunFollowerOptions } from './events/run-follower.js';
import { isTerminalEvent } from './events/terminal-event.js';
import { ClaimLostError } from './queue/claim-lost.js';
import type { RunLeaseStore } from './queue/run-leases.js';
import type { RunManager } from './run-manager.js';
import { RunRecorder } from './run-recorder.js';
import { RunLeaseLost, type RunStore, type StoredRun } from './run-store.js';

/** How many runs created here are kept for their first claim (see RunRuntime.created). */
const CREATED_KEPT = 256;

/** How a caller follows a run (RunRuntime.follow). */
export interface FollowOptions {
  justStarted?: boolean;
  /** The caller waits only for the run's end (RunSubscribeOptions.endOnly). */
  endOnly?: boolean;
}

/** What a process does: serve the API, execute runs, or both (AGENTD_ROLE). */
export type RunRole = 'all' | 'api' | 'worker';

export interface RunRuntimeOptions<Spec> {
  store: RunStore<Spec>;
  manager: RunManager<Spec>;
  queue: RunQueue;
  leases: RunLeaseStore;
  bus: RunEventBus;
  cancels: RunCancels;
  logger: Logger;
  role: RunRole;
  /** This process's id as a lease holder. */
  owner: string;
  concurrency: number;
  leaseMs: number;
  maxClaims: number;
  /** Ends every lease at once (embedded mode's recovery at start). */
  takeOverLeases?: () => Promise<void>;
  /** How often a follower reads the log while the bus is down. Default 1 s. */
  pollMs?: number;
  /** How long a follower waits for a live event before it reads the log anyway. Default 30 s. */
  quietMs?: number;
  /** Told each time a run executing here lost its lease to another worker (metrics). */
  onLeaseLost?: () => void;
}

/**
 * The run runtime as the gateway sees it: runs are enqueued, executed by
 * whichever worker claims them (this process, when its role includes
 * `worker`), followed through the event bus and the log, and cancelled
 * wherever they run. The same code serves embedded mode (in-process queue,
 * bus and cancels) and scaled mode (graphile-worker and Redis).
 */
export class RunRuntime<Spec = unknown> {
  private consumer: RunConsumer | undefined;
  private stopListening: (() => void) | undefined;
  /**
   * Runs this process created and queued, as stored: a claim here that is
   * the run's first executes it without reading it back. Bounded: a run
   * claimed by another process is forgotten in time.
   */
  private readonly created = new Map<string, StoredRun<Spec>>();
  /** Waiters in this process, told when a run here stops without being able to record its end. */
  private readonly failures = new Map<string, Set<(error: unknown) => void>>();
  private drainStarted = false;

  constructor(private readonly options: RunRuntimeOptions<Spec>) {}

  /** Starts executing runs here, if this process's role includes it. */
  startWorker(): void {
    const { role, queue, cancels, manager } = this.options;
    if (role === 'api' || this.consumer) return;
    this.stopListening = cancels.listen((runId, reason) => {
      manager.abort(runId, new Error(reason));
    });
    this.consumer = queue.consume((claim) => this.execute(claim), {
      owner: this.options.owner,
      concurrency: this.options.concurrency,
      leaseMs: this.options.leaseMs,
      maxClaims: this.options.maxClaims,
      ...(this.options.store.claimRead ? { claimRead: this.options.store.claimRead } : {}),
      exhausted: async (job, claims) => {
        const stored = await this.options.store.get(job.tenantId, job.runId);
        await this.failExhausted(stored, claims);
      },
    });
  }

  /** Queues a stored run for execution. */
  async start(stored: StoredRun<Spec>): Promise<void> {
    const job = { tenantId: stored.tenantId, runId: stored.id };
    const fresh = stored.snapshot.status === 'queued' && stored.lastSequence <= 1;
    if (fresh && stored.enqueued) {
      // Its create added its job: a worker here that claims it runs the stored run as it is.
      if (this.options.role !== 'api') this.remember(stored);
      return;
    }
    if (!fresh || this.options.role === 'api') return this.options.queue.enqueue(job);
    this.remember(stored);
    await this.options.queue.enqueue(job, {
      created: true,
      ...(stored.lease ? { lease: stored.lease } : {}),
    });
  }

  /** Keeps a run created here for its first claim (bounded). */
  private remember(stored: StoredRun<Spec>): void {
    this.created.set(stored.id, stored);
    if (this.created.size > CREATED_KEPT) this.created.delete(this.created.keys().next().value!);
  }

  /**
   * The run's events after `after`, in order, until its terminal event or
   * `signal` aborts. `justStarted`: the caller created and started the run
   * just now (and follows it at once), so the log holds only its
   * `response.created`, and the first read of the log is skipped: whatever
   * the run publishes reaches the subscription made now (the Redis bus
   * replays its stream to a late subscriber; the in-process queue cannot
   * have run it yet).
   */
  follow(
    stored: StoredRun<Spec>,
    after: number,
    signal?: AbortSignal,
    { justStarted = false, endOnly = false }: FollowOptions = {},
  ): AsyncGenerator<ResponseEvent> {
    return followRun({
      ...this.followOptions(stored, after, justStarted),
      ...(signal ? { signal } : {}),
      ...(endOnly ? { endOnly } : {}),
    });
  }

  /**
   * The same as `follow`, pushed to `handlers` instead of pulled: what a
   * long-lived stream holds is the RunFollower's small record, no generator,
   * promise or timer (see run-follower.ts). Call `start()` on it, `close()`
   * when the client goes.
   */
  watch(
    stored: StoredRun<Spec>,
    after: number,
    handlers: Pick<RunFollowerOptions, 'onEvent' | 'onEnd'>,
    { justStarted = false }: FollowOptions = {},
  ): RunFollower {
    return new RunFollower({ ...this.followOptions(stored, after, justStarted), ...handlers });
  }

  private followOptions(stored: StoredRun<Spec>, after: number, justStarted: boolean) {
    // Only the ids are kept: a stream held open for hours must not hold the whole run.
    const { tenantId, id } = stored;
    const { store, logger } = this.options;
    let opening: ResponseEvent[] | undefined =
      justStarted && stored.lastSequence === 1 && stored.snapshot.status === 'queued'
        ? [{ type: 'response.created', response: stored.snapshot, sequence_number: 1 } as ResponseEvent]
        : undefined;
    return {
      bus: this.options.bus,
      log: (from: number) => {
        if (!opening) return store.events(tenantId, id, from);
        const created = opening.filter((event) => event.sequence_number > from);
        opening = undefined;
        return Promise.resolve(created);
      },
      runId: id,
      after,
      pollMs: this.options.pollMs ?? 1_000,
      quietMs: this.options.quietMs ?? 30_000,
      onLogError: (error: unknown) =>
        logger.warn({ err: error, response_id: id }, 'could not read the event log'),
    };
  }

  /** Waits for a run to end, wherever it runs; resolves with its final snapshot. */
  async wait(
    stored: StoredRun<Spec>,
    signal?: AbortSignal,
    follow: FollowOptions = {},
  ): Promise<ResponseObject | undefined> {
    if (isTerminal(stored.snapshot.status)) return stored.snapshot;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    // A run this process could not even record as failed ends no stream: its waiters get the error.
    let failure: ((error: unknown) => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      failure = reject;
    });
    const listeners = this.failures.get(stored.id) ?? new Set();
    listeners.add(failure!);
    this.failures.set(stored.id, listeners);
    const ended = (async () => {
      // Only the end is awaited: the run need not write its first delta for this caller at once.
      for await (const event of this.follow(stored, 0, stop.signal, { ...follow, endOnly: true })) {
        if (isTerminalEvent(event) && 'response' in event) return event.response;
      }
      return undefined;
    })();
    // Whichever loses the race must not surface as an unhandled rejection.
    ended.catch(() => undefined);
    failed.catch(() => undefined);
    try {
      return await Promise.race([ended, failed]);
    } finally {
      stop.abort();
      signal?.removeEventListener('abort', onAbort);
      listeners.delete(failure!);
      if (listeners.size === 0) this.failures.delete(stored.id);
    }
  }

  /**
   * Cancels a queued or running response wherever it runs. A run nobody
   * holds is claimed and recorded cancelled here; a held one is told to stop
   * and this waits for its end. A finished one is a conflict.
   */
  async cancel(stored: StoredRun<Spec>): Promise<ResponseObject> {
    if (isTerminal(stored.snapshot.status)) throw notCancellable(stored);
    const { manager, leases, cancels, owner, leaseMs } = this.options;
    const here = manager.wait(stored.id);
    if (here) {
      manager.abort(stored.id, new Error('cancelled by request'));
      return here;
    }
    const job = { tenantId: stored.tenantId, runId: stored.id };
    const lease = await leases.claim(job, `${owner}:cancel`, leaseMs);
    if (lease) {
      const current = await this.options.store.get(stored.tenantId, stored.id);
      if (isTerminal(current.snapshot.status)) {
        await leases.finish(lease);
        throw notCancellable(current);
      }
      const response = { ...current.snapshot, status: 'cancelled' as const, completed_at: nowSeconds() };
      // The fenced write of its end ends the lease too.
      await this.recordEnd(current, response, lease.generation);
      return response;
    }
    await cancels.request(stored.id, 'cancelled by request');
    // The holder stops within moments; if it cannot be reached (it stalled, or lost the message),
    // the caller gets the run as it stands rather than a request that never ends.
    const final = await this.wait(stored, AbortSignal.timeout(2 * leaseMs));
    return final ?? (await this.options.store.get(stored.tenantId, stored.id)).snapshot;
  }

  /**
   * Embedded mode at start: this process is the only one, so runs held by a
   * process before it (stopped or killed) are taken back at once and queued
   * again, to resume from their last persisted step.
   */
  async recover(): Promise<string[]> {
    const unfinished = await this.options.store.listUnfinished();
    await this.options.takeOverLeases?.();
    for (const stored of unfinished) await this.start(stored);
    return unfinished.map((stored) => stored.id);
  }

  /** Whether drain() was called: the process is stopping and takes no new work (/readyz answers 503). */
  get draining(): boolean {
    return this.drainStarted;
  }

  /**
   * Stops claiming; runs in hand get `graceMs` to end, then are suspended
   * (left in progress, their leases handed back) for another worker.
   */
  async drain(graceMs: number): Promise<void> {
    this.drainStarted = true;
    // Cancels are heard until the runs in hand have ended or been handed back: one may be cancelled in the grace.
    await this.consumer?.stop(graceMs);
    this.stopListening?.();
    this.stopListening = undefined;
    this.consumer = undefined;
    await this.options.manager.shutdown();
  }

  /** One claimed run, executed here under its lease. */
  private async execute(claim: RunClaim): Promise<RunOutcome> {
    const { store, manager, logger } = this.options;
    const { lease, lost } = claim;
    const created = this.created.get(lease.runId);
    this.created.delete(lease.runId);
    let stored: StoredRun<Spec>;
    try {
      // On the run's first claim ever nobody can have written to it since it was stored: as the
      // claim read it (RunStore.claimRead), or as this process stored it. A later claim reads it
      // anew: the claim's statement sees the database as it began, and a holder that lost its
      // lease may have committed a batch while the claim waited for that holder's row lock.
      const first = lease.generation === 1;
      stored =
        (first ? (claim.run as StoredRun<Spec> | undefined) : undefined) ??
        (created && first ? created : await store.get(lease.tenantId, lease.runId));
    } catch (error) {
      if ((error as AgentdError).category === 'not_found') return 'finished';
      throw error;
    }
    if (isTerminal(stored.snapshot.status)) return 'finished';
    const stepsTaken =
      stored.snapshot.status === 'in_progress' ? await store.countSteps(stored.tenantId, stored.id) : 0;
    // Draining or a lease lost, the run stops here the same way: suspended, left in progress for
    // the next claim. A lease that ran out while this process stood still (a long pause) has not
    // been claimed again yet, so the fenced writes still pass: aborting it as cancelled would end
    // a run nobody cancelled.
    const onLost = () => manager.abort(stored.id, new RunSuspended());
    lost.addEventListener('abort', onLost, { once: true });
    const leaseLost = () => lost.reason instanceof ClaimLostError && lost.reason.reason === 'lease_lost';
    try {
      const final = await manager.start(stored, { stepsTaken, generation: lease.generation });
      // Its terminal event was a fenced write, which ended the lease in the same statement.
      if (isTerminal(final.status)) return 'ended';
      if (final.status === 'in_progress' && leaseLost()) {
        logger.warn({ response_id: stored.id }, 'the lease on a run ran out here; the run was handed back');
        this.options.onLeaseLost?.();
      }
      return final.status === 'in_progress' ? 'released' : 'finished';
    } catch (error) {
      if (error instanceof RunLeaseLost) {
        logger.warn({ response_id: stored.id }, 'lost the lease on a run; another worker carries it on');
        this.options.onLeaseLost?.();
        return 'released';
      }
      for (const fail of this.failures.get(stored.id) ?? []) fail(error);
      throw error;
    } finally {
      lost.removeEventListener('abort', onLost);
    }
  }

  /** A run claimed and dropped too many times fails, with that reason. */
  private async failExhausted(stored: StoredRun<Spec>, claims: number): Promise<void> {
    if (isTerminal(stored.snapshot.status)) return;
    const response: ResponseObject = {
      ...stored.snapshot,
      status: 'failed',
      completed_at: nowSeconds(),
      error: {
        code: 'worker_failure',
        message: `The run was interrupted by a worker failure ${claims} times and was given up.`,
      },
    };
    await this.recordEnd(stored, response);
  }

  /**
   * Records the end of a run that is not executing here (cancelled before a
   * worker took it, given up after too many takeovers): one terminal event
   * after its last, fenced with `generation` when this process holds its lease.
   */
  private async recordEnd(
    run: StoredRun<Spec>,
    response: ResponseObject,
    generation?: number,
  ): Promise<void> {
    const recorder = new RunRecorder(
      this.options.store,
      this.options.bus,
      run.tenantId,
      run.id,
      run.lastSequence,
      generation === undefined ? {} : { generation },
    );
    const type = `response.${response.status}` as 'response.failed' | 'response.cancelled';
    recorder.append({ type, response }, response);
    await recorder.flush();
  }

  async close(): Promise<void> {
    await this.drain(0);
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function notCancellable(stored: StoredRun): AgentdError {
  return new AgentdError(
    'conflict',
    'response_not_cancellable',
    `Response '${stored.id}' is already ${stored.snapshot.status}; only a queued or in-progress response can be cancelled.`,
  );
}
