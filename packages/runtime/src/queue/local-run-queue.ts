import type {
  EnqueueOptions,
  RunConsumer,
  RunConsumerOptions,
  RunHandler,
  RunJob,
  RunLease,
  RunQueue,
} from '@agentd/spec';
import { LeasedConsumer } from './leased-consumer.js';
import type { QueueLogger } from './queue-logger.js';
import { NOT_HELD, RunLeaseStore, UNFINISHED_STATUSES } from './run-leases.js';
import type { SqlClient } from './sql-client.js';

export interface LocalRunQueueOptions {
  /** How long a queued run may go unclaimed before the sweeper dispatches it again (ms). */
  dispatchGraceMs?: number;
  logger?: QueueLogger;
}

/**
 * Embedded mode's queue: runs wait in an in-memory FIFO and are handed to
 * this process's consumers as they have room; the leases live on the
 * embedded database like everywhere else, so a run whose lease ran out
 * (the process stalled, or was restarted) is found by the sweeper and
 * dispatched again.
 */
export class LocalRunQueue implements RunQueue {
  private readonly store: RunLeaseStore;
  private readonly logger: QueueLogger | undefined;
  private readonly waiting: RunJob[] = [];
  private readonly waitingIds = new Set<string>();
  /** Leases of waiting runs created already claimed by this process (EnqueueOptions.lease). */
  private readonly leases = new Map<string, RunLease>();
  private readonly consumers: LeasedConsumer[] = [];
  private next = 0;
  private closed = false;

  constructor(
    private readonly sql: SqlClient,
    options: LocalRunQueueOptions = {},
  ) {
    this.store = new RunLeaseStore(
      sql,
      options.dispatchGraceMs === undefined ? {} : { dispatchGraceMs: options.dispatchGraceMs },
    );
    this.logger = options.logger;
  }

  async enqueue(job: RunJob, options: EnqueueOptions = {}): Promise<void> {
    if (this.closed) throw new Error('the run queue is closed');
    if (this.waitingIds.has(job.runId)) return;
    // A run just created is known to be claimable: its claim is the only check it needs.
    const rows = options.created
      ? [{}]
      : await this.sql.query(
          `SELECT 1 FROM responses
        WHERE id = $1 AND tenant_id = $2 AND status IN ${UNFINISHED_STATUSES} AND ${NOT_HELD}`,
          [job.runId, job.tenantId],
        );
    if (rows.length === 0 || this.waitingIds.has(job.runId)) return;
    if (options.lease) {
      // A run that must wait behind full consumers gives its lease back first: until one takes it,
      // it is claimable by anyone (a cancel), as any queued run is.
      if (this.consumers.some((consumer) => consumer.free > 0)) this.leases.set(job.runId, options.lease);
      else await this.store.release(options.lease).catch(() => undefined);
      if (this.waitingIds.has(job.runId)) return;
    }
    this.waitingIds.add(job.runId);
    this.waiting.push({ tenantId: job.tenantId, runId: job.runId });
    this.pump();
  }

  consume(handler: RunHandler, options: RunConsumerOptions): LocalRunConsumer {
    if (this.closed) throw new Error('the run queue is closed');
    const consumer = new LeasedConsumer({
      store: this.store,
      handler,
      options,
      redispatch: (job) => (this.closed ? Promise.resolve() : this.enqueue(job)),
      onSlotFree: () => this.pump(),
      ...(this.logger ? { logger: this.logger } : {}),
    });
    this.consumers.push(consumer);
    queueMicrotask(() => this.pump());
    return new LocalRunConsumer(consumer, () => this.forget(consumer));
  }

  async depth(): Promise<number> {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.consumers.map((consumer) => consumer.stop(0)));
    this.consumers.length = 0;
  }

  /** Hands waiting runs to consumers with room, in turn. */
  private pump(): void {
    while (this.waiting.length > 0) {
      const consumer = this.nextWithRoom();
      if (!consumer) return;
      const job = this.waiting.shift()!;
      this.waitingIds.delete(job.runId);
      const lease = this.leases.get(job.runId);
      this.leases.delete(job.runId);
      void consumer.deliver(job, lease);
    }
  }

  private nextWithRoom(): LeasedConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i += 1) {
      const consumer = this.consumers[(this.next + i) % this.consumers.length];
      if (consumer && consumer.free > 0) {
        this.next = (this.next + i + 1) % this.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }

  private forget(consumer: LeasedConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }
}

/** A consumer of the in-process queue. */
export class LocalRunConsumer implements RunConsumer {
  constructor(
    private readonly consumer: LeasedConsumer,
    private readonly forget: () => void,
  ) {}

  async stop(graceMs?: number): Promise<void> {
    await this.consumer.stop(graceMs);
    this.forget();
  }

  /** For tests: behaves as if the process died (see LeasedConsumer.crash). */
  crash(): void {
    this.consumer.crash();
  }
}
