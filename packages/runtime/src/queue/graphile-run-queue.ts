import type { RunConsumer, RunConsumerOptions, RunHandler, RunJob, RunQueue } from '@agentd/spec';
import { type Runner, run } from 'graphile-worker';
import type pg from 'pg';
import { graphileLogger } from './graphile-logger.js';
import { openGraphilePool } from './graphile-pool.js';
import { LeasedConsumer } from './leased-consumer.js';
import { type QueueLogger, silentLogger } from './queue-logger.js';
import { NOT_HELD, RunLeaseStore, UNFINISHED_STATUSES } from './run-leases.js';
import { poolSqlClient, type SqlClient } from './sql-client.js';

/** How long a completed job waits for others to be deleted with it (graphile-worker's completeJobBatchDelay). */
const COMPLETE_BATCH_MS = 5;

/**
 * How long jobs fetched into a consumer's local queue may wait there for a
 * free slot before they go back to the database for any worker to take.
 */
const LOCAL_QUEUE_TTL_MS = 2_000;

/** The graphile-worker task that runs execute under. */
export const RUN_TASK = 'agentd_run';

export interface GraphileRunQueueOptions {
  /** The PostgreSQL database holding the runs; graphile-worker keeps its jobs in its schema there. */
  connectionString: string;
  maxPoolSize?: number;
  /** The task name jobs are added under (default `agentd_run`); a queue consumes only its own. */
  taskIdentifier?: string;
  /** How long a queued run may go unclaimed before the sweeper dispatches it again (ms). */
  dispatchGraceMs?: number;
  /** graphile-worker's poll for jobs it missed a notification of (ms); new jobs arrive by LISTEN/NOTIFY. */
  pollIntervalMs?: number;
  logger?: QueueLogger;
}

/**
 * Adds a job for the run unless it is ended, held under a live lease, or
 * already waiting (jobKey = run id dedupes; a job whose worker died stays
 * locked, and graphile-worker then creates a new job for the key).
 */
function addRunJob(sql: SqlClient, job: RunJob, taskIdentifier: string): Promise<unknown[]> {
  return sql.query(
    `SELECT graphile_worker.add_job($3::text, json_build_object('tenantId', r.tenant_id, 'runId', r.id),
              job_key := r.id, max_attempts := 1)
       FROM responses r
      WHERE r.id = $1 AND r.tenant_id = $2 AND r.status IN ${UNFINISHED_STATUSES} AND ${NOT_HELD}
        AND NOT EXISTS (SELECT 1 FROM graphile_worker.jobs j
                         WHERE j.key = r.id AND j.locked_at IS NULL AND j.attempts < j.max_attempts)`,
    [job.runId, job.tenantId, taskIdentifier],
  );
}

/**
 * Enqueues a run in the caller's transaction, so that the run's row and its
 * job commit (or roll back) together. The row must already be written in it.
 */
export async function enqueueRunInTransaction(
  tx: SqlClient,
  job: RunJob,
  taskIdentifier = RUN_TASK,
): Promise<void> {
  await addRunJob(tx, job, taskIdentifier);
}

/**
 * Opens scaled mode's queue on PostgreSQL: installs or upgrades
 * graphile-worker's schema once, here, and fails with a clear error if it
 * cannot.
 */
export async function openGraphileRunQueue(options: GraphileRunQueueOptions): Promise<GraphileRunQueue> {
  const logger = options.logger ?? silentLogger;
  const pool = await openGraphilePool({
    connectionString: options.connectionString,
    maxPoolSize: options.maxPoolSize ?? 10,
    logger,
    what: 'the run queue',
  });
  return new GraphileRunQueue(pool, options, logger);
}

function parseJob(payload: unknown): RunJob | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { tenantId, runId } = payload as Record<string, unknown>;
  return typeof tenantId === 'string' && typeof runId === 'string' ? { tenantId, runId } : undefined;
}

/** Scaled mode's queue: graphile-worker dispatches, the leases on the runs' rows decide who holds a run. */
export class GraphileRunQueue implements RunQueue {
  private readonly sql: SqlClient;
  private readonly store: RunLeaseStore;
  private readonly taskIdentifier: string;
  private readonly consumers = new Set<GraphileRunConsumer>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: GraphileRunQueueOptions,
    private readonly logger: QueueLogger,
  ) {
    this.sql = poolSqlClient(pool);
    this.store = new RunLeaseStore(
      this.sql,
      options.dispatchGraceMs === undefined ? {} : { dispatchGraceMs: options.dispatchGraceMs },
    );
    this.taskIdentifier = options.taskIdentifier ?? RUN_TASK;
  }

  async enqueue(job: RunJob): Promise<void> {
    if (this.closed) throw new Error('the run queue is closed');
    await addRunJob(this.sql, job, this.taskIdentifier);
  }

  consume(handler: RunHandler, options: RunConsumerOptions): GraphileRunConsumer {
    if (this.closed) throw new Error('the run queue is closed');
    const consumer = new LeasedConsumer({
      store: this.store,
      handler,
      options,
      redispatch: (job) => addRunJob(this.sql, job, this.taskIdentifier).then(() => undefined),
      logger: this.logger,
    });
    const start = () =>
      run({
        pgPool: this.pool,
        concurrency: options.concurrency,
        // Jobs completed within a few milliseconds of each other are deleted by one statement, not
        // one each. A job is done with once its run is (the lease on the run's row decides who
        // holds it), so a worker dying in that window costs nothing: its job stays locked, and a
        // run dispatched again gets a new job for its key.
        // The pool fetches up to `concurrency` jobs in one statement and hands them to its slots
        // (graphile-worker's local queue), instead of each slot fetching alone after every job: at 64
        // runs in flight the fetches were 2.4 statements a run, most of them empty. Jobs fetched and
        // not yet running are locked, so depth() counts runs, not unlocked jobs; jobs waiting locally
        // go back to the database after a short ttl (ADR-0042).
        preset: {
          worker: {
            completeJobBatchDelay: COMPLETE_BATCH_MS,
            localQueue: { size: options.concurrency, ttl: LOCAL_QUEUE_TTL_MS },
          },
        },
        noHandleSignals: true,
        pollInterval: this.options.pollIntervalMs ?? 2_000,
        logger: graphileLogger(this.logger),
        taskList: {
          [this.taskIdentifier]: async (payload) => {
            const job = parseJob(payload);
            if (!job) {
              this.logger.error({ payload }, 'a run job without a tenantId and runId was dropped');
              return;
            }
            await consumer.deliver(job);
          },
        },
      });
    const wrapped: GraphileRunConsumer = new GraphileRunConsumer(
      consumer,
      () => {
        const runner = start();
        runner.catch((error: unknown) =>
          this.logger.error({ err: error }, 'the run queue consumer failed to start'),
        );
        return runner;
      },
      () => this.consumers.delete(wrapped),
      this.logger,
    );
    this.consumers.add(wrapped);
    return wrapped;
  }

  /**
   * Runs with a job of this queue's task that nobody holds: waiting for a
   * worker, whether their job is still in the database or already fetched
   * into a consumer's local queue (locked there, its attempt counted, its run
   * not yet claimed: never claimed, or its last holder's lease ran out; a run
   * whose lease was just finished is not waiting, its job about to go).
   */
  async depth(): Promise<number> {
    const [row] = await this.sql.query<{ count: number }>(
      `SELECT count(DISTINCT r.id)::int AS count
         FROM graphile_worker.jobs j JOIN responses r ON r.id = j.key
        WHERE j.task_identifier = $1 AND r.status IN ${UNFINISHED_STATUSES}
          AND (r.lease_owner IS NULL OR r.lease_expires_at IS NULL OR r.lease_expires_at <= now())
          AND ((j.locked_at IS NULL AND j.attempts < j.max_attempts)
            OR (j.locked_at IS NOT NULL AND (r.claims = 0 OR r.lease_owner IS NOT NULL)))`,
      [this.taskIdentifier],
    );
    return Number(row?.count ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(0)));
    await this.pool.end();
  }
}

/** One graphile-worker runner feeding the leased consumer (a new one if it stops unasked). */
export class GraphileRunConsumer implements RunConsumer {
  private runner: Promise<Runner>;
  private runnerStopped: Promise<void> | undefined;

  constructor(
    private readonly consumer: LeasedConsumer,
    private readonly start: () => Promise<Runner>,
    private readonly forget: () => void,
    private readonly logger: QueueLogger,
  ) {
    this.runner = this.watched(start());
  }

  /**
   * A runner whose pool shuts itself down (graphile-worker does after failing
   * for minutes to give its local queue's jobs back, PostgreSQL being away)
   * is replaced, so the process takes runs again once the database is back.
   */
  private watched(runner: Promise<Runner>): Promise<Runner> {
    runner.then(
      (started) =>
        started.promise.then(
          () => this.restartUnlessStopping(),
          () => this.restartUnlessStopping(),
        ),
      () => undefined,
    );
    return runner;
  }

  private restartUnlessStopping(): void {
    if (this.runnerStopped || !this.consumer.accepting) return;
    this.logger.warn({}, 'the run queue consumer stopped on its own; starting it again');
    this.runner = this.watched(this.start());
  }

  /** Resolves once the runner listens for jobs; rejects when it could not start (the error is also logged). */
  started(): Promise<void> {
    return this.runner.then(() => undefined);
  }

  async stop(graceMs?: number): Promise<void> {
    const drained = this.consumer.stop(graceMs);
    const stopped = this.stopRunner();
    await drained;
    await stopped;
    this.forget();
  }

  /**
   * For tests: behaves as if the process died (see LeasedConsumer.crash).
   * Its runner stops fetching, and the job it holds stays locked until `stop`.
   */
  crash(): void {
    this.consumer.crash();
    void this.stopRunner();
  }

  private stopRunner(): Promise<void> {
    this.runnerStopped ??= this.runner.then(
      (runner) => runner.stop(),
      () => undefined,
    );
    return this.runnerStopped;
  }
}
