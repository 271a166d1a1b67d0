/** The database embedding cache under the EmbeddingCache contract, on PGlite and PostgreSQL. */
import { BACKENDS, type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { describeEmbeddingCacheContract } from '@agentd/testing';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { DatabaseEmbeddingCache } from '../src/vector-stores/embedding-cache.js';

const TENANTS = ['tenant_cache_a', 'tenant_cache_b'] as const;

describe.each(BACKENDS)('DatabaseEmbeddingCache on %s', (backend) => {
  let db: Database;
  let database: MigratedDatabase | undefined;

  beforeAll(async () => {
    database = await openMigratedDatabase(backend, { tenants: TENANTS });
    db = database.db;
  }, 120_000);
  afterAll(async () => {
    await database?.close();
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
