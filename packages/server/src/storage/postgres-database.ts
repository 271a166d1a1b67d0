import pg from 'pg';
import type { Database, Queryable, SqlParam } from './database.js';
import { storableParams } from './storable-params.js';

export interface PostgresOptions {
  /** Called with pool errors (an idle client losing its connection), which must not crash the process. */
  onError?: (error: Error) => void;
  maxConnections?: number;
}

/** A PostgreSQL server through a node-postgres pool. */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  pool.on('error', (error) => options.onError?.(error));
  const [row] = (
    await pool.query<{ available: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available",
    )
  ).rows;
  let hasVector = false;
  if (row?.available) {
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
      hasVector = true;
    } catch {
      hasVector = false;
    }
  }
  return new PostgresDatabase(pool, hasVector);
}

class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly hasVector: boolean,
  ) {}

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, storableParams(params) as unknown[])).rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        async query<Row>(sql: string, params: readonly SqlParam[] = []) {
          return (await client.query(sql, storableParams(params) as unknown[])).rows as Row[];
        },
        async exec(sql: string) {
          await client.query(sql);
        },
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
