import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { Database, Queryable, SqlParam } from './database.js';

/** Embedded PostgreSQL (PGlite, WASM) with pgvector. `dataDir` undefined means in memory. */
export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  return new PgliteDatabase(db);
}

class PgliteDatabase implements Database {
  readonly dialect = 'pglite' as const;
  readonly hasVector = true;

  constructor(private readonly db: PGlite) {}

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(sql, params as unknown[]);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(wrapTransaction(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}

function wrapTransaction(tx: Transaction): Queryable {
  return {
    async query<Row>(sql: string, params: readonly SqlParam[] = []) {
      return (await tx.query<Row>(sql, params as unknown[])).rows;
    },
    async exec(sql: string) {
      await tx.exec(sql);
    },
  };
}
