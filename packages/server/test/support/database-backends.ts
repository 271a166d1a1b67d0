import { createTestDatabase } from '@agentd/testing';
import { afterAll } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { openPgliteDatabase } from '../../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../../src/storage/postgres-database.js';

export interface OpenedDatabase {
  db: Database;
  /** Drops the PostgreSQL test database (nothing for PGlite, which lives in memory). */
  drop: () => Promise<void>;
}

/** Both database backends by name, each opening a fresh database (PostgreSQL's named from `prefix`). */
export function databaseBackends(prefix: string): [string, () => Promise<OpenedDatabase>][] {
  return [
    ['PGlite', async () => ({ db: await openPgliteDatabase(), drop: async () => undefined })],
    [
      'PostgreSQL',
      async () => {
        const test = await createTestDatabase(prefix);
        return { db: await openPostgresDatabase(test.url), drop: () => test.drop() };
      },
    ],
  ];
}

/**
 * Opens migrated databases through `open` for the tests of the calling
 * `describe`; each is closed (and dropped) after them.
 */
export function migratedDatabases(open: () => Promise<OpenedDatabase>): () => Promise<Database> {
  const opened: OpenedDatabase[] = [];
  afterAll(async () => {
    for (const { db, drop } of opened.splice(0)) {
      await db.close();
      await drop();
    }
  });
  return async () => {
    const database = await open();
    opened.push(database);
    await migrate(database.db);
    return database.db;
  };
}
