import type { GraphileTasks } from '@agentd/runtime';
import type { Logger } from 'pino';
import type { IngestionQueue } from './ingestion.js';
import type { IngestionDispatch, IngestionJob } from './ingestion-dispatch.js';
import type { VectorStoreRepository } from './vector-store-repository.js';

/** The graphile-worker task files are indexed under. */
export const INGEST_TASK = 'agentd_ingest';

export interface QueuedIngestionOptions {
  tasks: GraphileTasks<IngestionJob>;
  /** Indexes one file in this process. */
  local: IngestionQueue;
  stores: VectorStoreRepository;
  logger: Logger;
  /** Files indexed at once by this process. */
  concurrency?: number;
  /** A job locked this long is presumed to have lost its worker, and is sent again. Default 5 minutes. */
  stalledAfterMs?: number;
  /** How often workers look for files whose indexing stalled. Default a minute. */
  sweepMs?: number;
}

const keyOf = (job: IngestionJob) => `ingest:${job.vectorStoreId}/${job.fileId}`;

/**
 * Scaled mode's file ingestion: each file is a background job on the same
 * PostgreSQL queue as runs (graphile-worker), taken by any worker. A worker
 * that dies leaves its job locked; the workers' sweep sends again every file
 * still in progress that has had no live job for `stalledAfterMs`.
 */
export class QueuedIngestion implements IngestionDispatch {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: QueuedIngestionOptions) {}

  enqueue(job: IngestionJob): void {
    this.options.tasks
      .add(job, keyOf(job))
      .catch((error) =>
        this.options.logger.error(
          { err: error, vector_store_id: job.vectorStoreId, file_id: job.fileId },
          'could not queue a file for indexing; the workers will pick it up',
        ),
      );
  }

  async recover(): Promise<number> {
    const pending = await this.options.stores.pending();
    const byKey = new Map(pending.map((job) => [keyOf(job), job]));
    const stalled = await this.options.tasks.stalled(
      [...byKey.keys()],
      this.options.stalledAfterMs ?? 300_000,
    );
    for (const key of stalled) this.enqueue(byKey.get(key)!);
    return stalled.length;
  }

  startWorking(): void {
    if (this.sweeper) return;
    this.options.tasks.work((job) => this.options.local.ingestNow(job), this.options.concurrency ?? 2);
    this.sweeper = setInterval(() => {
      this.recover().catch((error) =>
        this.options.logger.warn({ err: error }, 'could not look for files whose indexing stalled'),
      );
    }, this.options.sweepMs ?? 60_000);
    this.sweeper.unref();
  }

  idle(): Promise<void> {
    return this.options.local.idle();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.options.tasks.close();
  }
}
