import { type Runner, run } from 'graphile-worker';
import type pg from 'pg';
import { graphileLogger } from './graphile-logger.js';
import { openGraphilePool } from './graphile-pool.js';
import { type QueueLogger, silentLogger } from './queue-logger.js';
import { poolSqlClient, type SqlClient } from './sql-client.js';

export interface GraphileTasksOptions {
  /** The PostgreSQL database; graphile-worker keeps its jobs in its schema there. */
  connectionString: string;
  /** The graphile-worker task the jobs are added under, e.g. `agentd_ingest`. */
  task: string;
  maxPoolSize?: number;
  /** graphile-worker's poll for jobs it missed a notification of (ms). */
  pollIntervalMs?: number;
  logger?: QueueLogger;
}

/**
 * Background jobs of one kind on graphile-worker (scaled mode), for work that
 * is safe to do twice, such as indexing a file: a job is added under a key
 * (a second add of a waiting key is one job), run by whichever worker takes
 * it, and retried with graphile-worker's backoff when its handler throws.
 * A job whose worker died stays locked; `stalled` tells which keys have had
 * no live job for a while, and `add` on a key whose job is locked creates a
 * new one.
 */
export class GraphileTasks<Job extends object> {
  private runner: Promise<Runner> | undefined;
  private closed = false;
  readonly sql: SqlClient;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: GraphileTasksOptions,
    private readonly logger: QueueLogger,
  ) {
    this.sql = poolSqlClient(pool);
  }

  /** Opens the pool and installs graphile-worker's schema (once; concurrent starts are safe). */
  static async open<Job extends object>(options: GraphileTasksOptions): Promise<GraphileTasks<Job>> {
    const logger = options.logger ?? silentLogger;
    const pool = await openGraphilePool({
      connectionString: options.connectionString,
      maxPoolSize: options.maxPoolSize ?? 4,
      logger,
      what: 'background jobs',
    });
    return new GraphileTasks<Job>(pool, options, logger);
  }

  /** Adds a job under `key`; a job already waiting under it is replaced by this one. */
  async add(job: Job, key: string, maxAttempts = 5): Promise<void> {
    if (this.closed) throw new Error('the background job queue is closed');
    await this.sql.query(
      'SELECT graphile_worker.add_job($1::text, $2::json, job_key := $3::text, max_attempts := $4::int)',
      [this.options.task, JSON.stringify(job), key, maxAttempts],
    );
  }

  /** Starts running jobs here, `concurrency` at a time. */
  work(handler: (job: Job) => Promise<void>, concurrency: number): void {
    if (this.closed || this.runner) return;
    this.runner = run({
      pgPool: this.pool,
      concurrency,
      noHandleSignals: true,
      pollInterval: this.options.pollIntervalMs ?? 2_000,
      logger: graphileLogger(this.logger),
      taskList: { [this.options.task]: async (payload) => handler(payload as Job) },
    });
    this.runner.catch((error: unknown) =>
      this.logger.error({ err: error, task: this.options.task }, 'background jobs could not start'),
    );
  }

  /**
   * Which of `keys` have no live job: none waiting, and none locked more
   * recently than `lockedForMs` ago (its worker is presumed dead).
   */
  async stalled(keys: readonly string[], lockedForMs: number): Promise<string[]> {
    if (keys.length === 0) return [];
    const rows = await this.sql.query<{ key: string }>(
      `SELECT k.key FROM json_array_elements_text($1::json) AS k(key)
        WHERE NOT EXISTS (
          SELECT 1 FROM graphile_worker.jobs j
           WHERE j.key = k.key AND j.attempts < j.max_attempts
             AND (j.locked_at IS NULL OR j.locked_at > now() - ($2::float8 * interval '1 millisecond')))`,
      [JSON.stringify(keys), lockedForMs],
    );
    return rows.map((row) => row.key);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const runner = this.runner;
    if (runner) await runner.then((started) => started.stop()).catch(() => undefined);
    await this.pool.end();
  }
}
