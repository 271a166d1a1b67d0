import { type Database, migrate, openPgliteDatabase, openPostgresDatabase } from '@agentd/server';
import { createTestDatabase } from '@agentd/testing';
import type { Backend } from './test-server.js';

export interface MigratedDatabase {
  db: Database;
  /** The PostgreSQL URL of this database (for a second connection); undefined on PGlite. */
  url: string | undefined;
  /** Closes the database and drops the PostgreSQL test database, if one was made. */
  close(): Promise<void>;
}

export interface MigratedDatabaseOptions {
  /** Tenants to insert (rows that owned resources refer to). */
  tenants?: readonly string[];
  /** The PostgreSQL test database's name prefix, to tell whose it is. */
  prefix?: string;
}

/**
 * agentd's schema on the backend, without a server: embedded PGlite, or a
 * fresh database on the PostgreSQL test server (fails, never skips, when
 * that server is not there). For tests of the packages the server is built
 * from, which run their stores on the real databases.
 */
export async function openMigratedDatabase(
  backend: Backend,
  options: MigratedDatabaseOptions = {},
): Promise<MigratedDatabase> {
  const server = backend === 'postgres' ? await createTestDatabase(options.prefix) : undefined;
  const db = server ? await openPostgresDatabase(server.url) : await openPgliteDatabase();
  await migrate(db);
  for (const id of options.tenants ?? []) {
    await db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [id]);
  }
  return {
    db,
    url: server?.url,
    close: async () => {
      await db.close();
      await server?.drop();
    },
  };
}
