/** The database embedding cache under the EmbeddingCache contract, on PGlite and PostgreSQL. */
import { BACKENDS } from '@agentd/test-server';
import { createTestDatabase, describeEmbeddingCacheContract, type TestDatabase } from '@agentd/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';
import { DatabaseEmbeddingCache } from '../src/vector-stores/embedding-cache.js';

const TENANTS = ['tenant_cache_a', 'tenant_cache_b'] as const;

describe.each(BACKENDS)('DatabaseEmbeddingCache on %s', (backend) => {
  let db: Database;
  let server: TestDatabase | undefined;

  beforeAll(async () => {
    if (backend === 'pglite') {
      db = await openPgliteDatabase();
    } else {
      server = await createTestDatabase();
      db = await openPostgresDatabase(server.url);
    }
    await migrate(db);
    for (const id of TENANTS) await db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [id]);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await server?.drop();
  });

  describeEmbeddingCacheContract(`database (${backend})`, () => {
    const cache = new DatabaseEmbeddingCache(db, TENANTS[0]);
    return {
      cache,
      otherTenant: new DatabaseEmbeddingCache(db, TENANTS[1]),
      delete: (keys) => cache.delete(keys),
    };
  });
});
