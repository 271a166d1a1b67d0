import type { Backend } from '@agentd/test-server';
import { createTestDatabase } from '@agentd/testing';
import type { Database } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { openPgliteDatabase } from '../../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../../src/storage/postgres-database.js';

export interface MigratedDatabase {
  db: Database;
  /** Closes the database and drops the PostgreSQL test database, if one was made. */
  close(): Promise<void>;
}

/** A migrated database on the backend (PGlite, or a fresh PostgreSQL test database), with these tenants in it. */
export async function openMigratedDatabase(
  backend: Backend,
  tenants: readonly string[],
): Promise<MigratedDatabase> {
  const server = backend === 'postgres' ? await createTestDatabase() : undefined;
  const db = server ? await openPostgresDatabase(server.url) : await openPgliteDatabase();
  await migrate(db);
  for (const id of tenants) await db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [id]);
  return {
    db,
    close: async () => {
      await db.close();
      await server?.drop();
    },
  };
}
