import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { graphileLogger } from './graphile-logger.js';
import type { QueueLogger } from './queue-logger.js';

/**
 * A connection pool for graphile-worker, with its schema installed or
 * upgraded (once; concurrent starts are safe). Fails with an error naming
 * `what` could not start, and leaves no connection open.
 */
export async function openGraphilePool(options: {
  connectionString: string;
  maxPoolSize: number;
  logger: QueueLogger;
  /** What the pool is for, in messages: `the run queue`, `background jobs`. */
  what: string;
}): Promise<pg.Pool> {
  const { logger, what } = options;
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxPoolSize });
  // Only what says why: a pg client's error can carry the whole client (type tables, queries).
  const onError = (error: Error & { code?: string }) =>
    logger.warn({ error: error.message, code: error.code }, `a database connection of ${what} failed`);
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  try {
    await runMigrations({ pgPool: pool, logger: graphileLogger(logger) });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `${what} could not install graphile-worker's schema (graphile_worker) in the database: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return pool;
}
