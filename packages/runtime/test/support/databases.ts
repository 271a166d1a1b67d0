/**
 * The databases the runtime's tests run on: embedded PGlite and the
 * PostgreSQL server, both with agentd's migrations applied. The server's
 * storage modules are imported by path, from tests only: the runtime does
 * not depend on the server.
 */
import { createTestDatabase } from '@agentd/testing';
import type { Database } from '../../../server/src/storage/database.js';
import { migrate } from '../../../server/src/storage/migrate.js';
import { openPgliteDatabase } from '../../../server/src/storage/pglite-database.js';
import { openPostgresDatabase } from '../../../server/src/storage/postgres-database.js';

export interface MigratedDatabase {
  db: Database;
  /** The PostgreSQL server's URL for this database; undefined for PGlite. */
  url: string | undefined;
  destroy(): Promise<void>;
}

export async function migratedPglite(): Promise<MigratedDatabase> {
  const db = await openPgliteDatabase();
  await migrate(db);
  return { db, url: undefined, destroy: () => db.close() };
}

/** A fresh database on the PostgreSQL server; fails (never skips) when the server is not there. */
export async function migratedPostgres(prefix: string): Promise<MigratedDatabase> {
  const database = await createTestDatabase(prefix);
  const db = await openPostgresDatabase(database.url);
  await migrate(db);
  return {
    db,
    url: database.url,
    async destroy() {
      await db.close();
      await database.drop();
    },
  };
}
