/**
 * ChunkIndex on its own, on both engines: how it keeps the planner's
 * statistics fresh (PGlite has no autovacuum) and how the full-text half of
 * hybrid search copes with words that nearly every chunk contains.
 */

import { BACKENDS } from '@agentd/test-server';
import { createTestDatabase, type TestDatabase } from '@agentd/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';
import { ChunkIndex, type NewChunk } from '../src/vector-stores/chunk-index.js';
import { VectorColumn } from '../src/vector-stores/vector-column.js';

const TENANT = 'tenant_chunks';
const STORE = 'vs_chunks';
const DIMS = 4;
const AWAY = [1, 0, 0, 0];
const TOWARD = [0, 1, 0, 0];

describe.each(BACKENDS)('ChunkIndex on %s', (backend) => {
  let db: Database;
  let server: TestDatabase | undefined;
  let index: ChunkIndex;
  let files = 0;

  beforeAll(async () => {
    if (backend === 'pglite') {
      db = await openPgliteDatabase();
    } else {
      server = await createTestDatabase();
      db = await openPostgresDatabase(server.url);
    }
    await migrate(db);
    const vectors = await VectorColumn.detect(db, pino({ level: 'silent' }));
    index = new ChunkIndex(db, vectors, DIMS);
    await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [TENANT, 'chunks']);
    await db.query(
      `INSERT INTO vector_stores (id, tenant_id, name, chunking) VALUES ($1, $2, 'test', '{}')`,
      [STORE, TENANT],
    );
  });
  afterAll(async () => {
    await db?.close();
    await server?.drop();
  });

  /** A completed file in the store holding these chunks. */
  async function addFile(texts: readonly string[], embedding: number[]): Promise<string> {
    const id = `file_${backend}_${files++}`;
    await db.query(
      `INSERT INTO files (id, tenant_id, filename, purpose, bytes, sha256, object_key)
       VALUES ($1, $2, $3, 'assistants', 1, 'x', 'none')`,
      [id, TENANT, `${id}.txt`],
    );
    await db.query(
      `INSERT INTO vector_store_files (vector_store_id, file_id, tenant_id, status) VALUES ($1, $2, $3, 'completed')`,
      [STORE, id, TENANT],
    );
    const chunks: NewChunk[] = texts.map((text, i) => ({ index: i, text, tokens: 8, embedding }));
    await db.transaction((tx) => index.replace(tx, TENANT, STORE, id, chunks));
    return id;
  }

  const estimatedRows = async () =>
    Number(
      (
        await db.query<{ n: number }>(
          "SELECT reltuples::float8 AS n FROM pg_class WHERE oid = 'chunks'::regclass",
        )
      )[0]?.n,
    );

  it('refreshes the statistics of chunks once they have grown by a tenth, as autovacuum would', async () => {
    await addFile(
      Array.from({ length: 60 }, (_, i) => `routine maintenance log entry ${i}`),
      AWAY,
    );
    await index.analyzeIfGrown();
    expect(await estimatedRows()).toBe(60);

    await addFile(['one more entry'], AWAY);
    await index.analyzeIfGrown();
    expect(await estimatedRows()).toBe(60); // 1 new row of 60 is not worth an ANALYZE

    await addFile(
      Array.from({ length: 60 }, (_, i) => `further entry ${i}`),
      AWAY,
    );
    await index.analyzeIfGrown();
    expect(await estimatedRows()).toBe(121);
  });

  it('still finds a rare word when over a thousand chunks share the query’s other word', async () => {
    await addFile(
      Array.from({ length: 1500 }, (_, i) => `lorem filler paragraph number ${i} about nothing much`),
      AWAY,
    );
    const zebraFile = await addFile(['lorem zebra crossing near the old mill'], AWAY);
    await index.analyzeIfGrown();

    // The query's embedding points away from every chunk: only the full-text half can find the zebra.
    const hits = await index.search({
      tenantId: TENANT,
      vectorStoreIds: [STORE],
      query: 'lorem zebra',
      embedding: TOWARD,
      maxResults: 10,
    });
    expect(hits.map((hit) => hit.fileId)).toContain(zebraFile);
    expect(hits.find((hit) => hit.fileId === zebraFile)?.text).toBe('lorem zebra crossing near the old mill');

    const vectorOnly = await index.search({
      tenantId: TENANT,
      vectorStoreIds: [STORE],
      query: 'lorem zebra',
      embedding: TOWARD,
      maxResults: 10,
      ranker: 'vector',
    });
    expect(vectorOnly.map((hit) => hit.fileId)).not.toContain(zebraFile);
  });

  it('answers a query made only of common words by its vector half', async () => {
    const hits = await index.search({
      tenantId: TENANT,
      vectorStoreIds: [STORE],
      query: 'lorem',
      embedding: AWAY,
      maxResults: 5,
    });
    expect(hits).toHaveLength(5);
  });
});
