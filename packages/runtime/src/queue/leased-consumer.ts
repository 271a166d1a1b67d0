import type { RunConsumer, RunConsumerOptions, RunHandler, RunJob, RunLease, RunOutcome } from '@agentd/spec';
import { ClaimLostError } from './claim-lost.js';
import { type QueueLogger, silentLogger } from './queue-logger.js';
import type { Claimed, RunLeaseStore } from './run-leases.js';

export interface LeasedConsumerSetup {
  store: RunLeaseStore;
  handler: RunHandler;
  options: RunConsumerOptions;
  /** Puts a run back on the queue: after it was handed back, or delivered to a consumer that stopped. */
  redispatch(job: RunJob): Promise<void>;
  /** Told when a slot frees up (the in-process queue hands over its next run). */
  onSlotFree?: () => void;
  logger?: QueueLogger;
}

/** Runs found by the sweeper per pass. */
const SWEEP_BATCH = 100;

/** How often the sweeper looks for runs whose lease ran out: a quarter of the lease, at most a second. */
export const sweepIntervalMs = (leaseMs: number) => Math.max(10, Math.min(1_000, Math.floor(leaseMs / 4)));

interface Held {
  lease: RunLease;
  readonly controller: AbortController;
}

/**
 * What both queues do with a delivered run: claim its lease, keep extending
 * it while the handler works (aborting the handler's `lost` signal when an
 * extension fails), then finish or hand back the lease as the handler says.
 * Also sweeps: runs whose lease ran out are put back on the queue.
 */
export class LeasedConsumer implements RunConsumer {
  private readonly store: RunLeaseStore;
  private readonly options: RunConsumerOptions;
  private readonly logger: QueueLogger;
  private readonly held = new Set<Held>();
  private inFlight = 0;
  private stopping = false;
  private crashed = false;
  private sweeping = false;
  private readonly sweeper: NodeJS.Timeout;
  private idleWaiters: Array<() => void> = [];
  private abandon: () => void = () => {};
  /** Resolves when a crashed consumer is stopped: its deliveries return without touching their leases. */
  private readonly abandoned = new Promise<void>((resolve) => {
    this.abandon = resolve;
  });

  constructor(private readonly setup: LeasedConsumerSetup) {
    this.store = setup.store;
    this.options = setup.options;
    this.logger = setup.logger ?? silentLogger;
    this.sweeper = setInterval(() => void this.sweep(), sweepIntervalMs(this.options.leaseMs));
    this.sweeper.unref();
    const { signal } = this.options;
    if (signal?.aborted) void this.stop(0);
    else signal?.addEventListener('abort', () => void this.stop(0), { once: true });
  }

  /** Whether this consumer takes runs now. */
  get accepting(): boolean {
    return !this.stopping;
  }

  /** Runs it can take now. */
  get free(): number {
    return this.stopping ? 0 : Math.max(0, this.options.concurrency - this.inFlight);
  }

  /**
   * Claims and executes one delivered run; resolves once its lease is
   * finished or handed back. `held`: the run was created already claimed by
   * this process under that lease, which is taken over instead of a claim.
   */
  async deliver(job: RunJob, held?: RunLease): Promise<void> {
    if (this.stopping) {
      if (this.crashed) return;
      // A lease held since the create is handed back first, or nobody could claim the run.
      if (held) await this.store.release(held).catch(() => undefined);
      await this.redispatch(job);
      return;
    }
    this.inFlight += 1;
    try {
      await Promise.race([this.claimAndRun(job, held), this.abandoned]);
    } catch (error) {
      this.logger.error({ err: error, runId: job.runId }, 'a delivered run could not be claimed or ended');
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      this.setup.onSlotFree?.();
    }
  }

  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    if (this.crashed) {
      this.abandon();
      return;
    }
    if (this.inFlight > 0 && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.idle(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    for (const held of this.held) {
      held.controller.abort(
        new ClaimLostError(
          'worker_draining',
          `the worker is draining: run ${held.lease.runId} is handed back`,
        ),
      );
    }
    await this.idle();
  }

  /**
   * For tests: behaves as if the process died. It stops claiming, sweeping
   * and extending, and never ends the leases it holds; its handlers are not
   * told. `stop()` afterwards only lets its deliveries return.
   */
  crash(): void {
    this.crashed = true;
    this.stopping = true;
    clearInterval(this.sweeper);
  }

  private idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async claimAndRun(job: RunJob, held?: RunLease): Promise<void> {
    const { maxClaims } = this.options;
    const claimed = held ? await this.takeOver(job, held) : await this.claim(job);
    if (!claimed || this.crashed) return;
    const { lease } = claimed;
    if (lease.claims > maxClaims) {
      await this.options.exhausted?.(job, lease.claims);
      await this.store.finish(lease);
      return;
    }
    const outcome = await this.execute(claimed);
    // A lease lost is not ours to end: the run is someone else's, or the sweeper's once it ran out.
    // An ended run's last write ended its lease in the same statement: nothing is left to write.
    if (this.crashed || outcome === 'lost' || outcome === 'ended') return;
    if (outcome === 'finished') {
      await this.store.finish(lease);
    } else if (outcome === 'released' ? await this.store.release(lease) : await this.store.drop(lease)) {
      await this.redispatch(job);
    }
  }

  /** Claims the run, reading it in the same statement when the handler asked for that. */
  private claim(job: RunJob): Promise<Claimed | undefined> {
    const { owner, leaseMs, claimRead } = this.options;
    return this.store.claimAndRead(job, owner, leaseMs, claimRead);
  }

  /**
   * A lease this process took when it created the run: used as it is while
   * most of it is left (no statement); one that waited long is extended, or,
   * once it ran out, the run is claimed as any other.
   */
  private async takeOver(job: RunJob, held: RunLease): Promise<Claimed | undefined> {
    const { owner, leaseMs } = this.options;
    if (held.owner === owner && held.expiresAt - Date.now() > leaseMs / 2) return { lease: held };
    const extended = await this.store.extend(held, leaseMs);
    return extended ? { lease: extended } : await this.claim(job);
  }

  /** Runs the handler under the lease, extending it every third of the lease. */
  private async execute({ lease, run }: Claimed): Promise<RunOutcome | 'failed' | 'lost'> {
    const held: Held = { lease, controller: new AbortController() };
    const lose = (message: string, cause?: unknown) => {
      clearInterval(extender);
      if (!held.controller.signal.aborted) {
        held.controller.abort(new ClaimLostError('lease_lost', message, { cause }));
      }
    };
    let extending = false;
    const extender = setInterval(
      async () => {
        if (extending || this.crashed) return;
        extending = true;
        try {
          const extended = await this.store.extend(held.lease, this.options.leaseMs);
          if (extended) held.lease = extended;
          else lose(`the lease on run ${lease.runId} was lost: it ran out or another worker claimed the run`);
        } catch (error) {
          // The database did not answer (it restarts, say): the lease is still ours until it runs
          // out, so the run goes on and the next tick tries again. Aborting at once made the run
          // record itself cancelled once the database was back, its lease never lost.
          if (Date.now() < held.lease.expiresAt) {
            this.logger.warn(
              { err: error, runId: lease.runId },
              'the lease could not be extended; trying again while it lasts',
            );
            return;
          }
          lose(`the lease on run ${lease.runId} could not be extended: ${(error as Error).message}`, error);
        } finally {
          extending = false;
        }
      },
      Math.max(1, Math.floor(this.options.leaseMs / 3)),
    );
    this.held.add(held);
    const lost = () => {
      const reason: unknown = held.controller.signal.reason;
      return reason instanceof ClaimLostError && reason.reason === 'lease_lost';
    };
    try {
      const signal = held.controller.signal;
      const outcome = await this.setup.handler(
        run === undefined ? { lease, lost: signal } : { lease, lost: signal, run },
      );
      return lost() ? 'lost' : outcome;
    } catch (error) {
      if (lost()) return 'lost';
      this.logger.error({ err: error, runId: lease.runId }, 'a run handler failed; the run is dropped');
      return 'failed';
    } finally {
      clearInterval(extender);
      this.held.delete(held);
    }
  }

  private async redispatch(job: RunJob): Promise<void> {
    try {
      await this.setup.redispatch(job);
    } catch (error) {
      // The sweeper dispatches it again once its lease is seen to have run out.
      this.logger.warn({ err: error, runId: job.runId }, 'a run could not be put back on the queue');
    }
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopping) return;
    this.sweeping = true;
    try {
      for (const job of await this.store.expired(SWEEP_BATCH)) {
        if (this.stopping) break;
        await this.redispatch(job);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'the sweep for runs whose lease ran out failed');
    } finally {
      this.sweeping = false;
    }
  }
}
