// The searches the knowledge benchmark times: through the API's service, through
// ChunkIndex, and raw SQL (by the HNSW index or exact), and their query plans.

import { applySearchSettings } from '../packages/server/dist/index.js';

export const TENANT = 'tenant_bench';
export const DIMS = 384;
export const K = 10;
export const HNSW_INDEX = `chunks_embedding_hnsw_${DIMS}`;

/** Hybrid search as the API runs it (query embedding through the cache, RRF of vector and full text). */
export async function hybridSearch(ctx, query) {
  const hits = await ctx.services.vectorStores.search(TENANT, [ctx.store.id], query.text, {
    maxResults: K,
    ranker: 'hybrid',
  });
  return hits.map(toHit);
}

/** ChunkIndex.search alone (the query already embedded): `hybrid`, or `vector` (the API's ranker `none`). */
export async function chunkSearch(ctx, query, ranker) {
  const hits = await ctx.index.search({
    tenantId: TENANT,
    vectorStoreIds: [ctx.store.id],
    query: query.text,
    embedding: query.embedding,
    maxResults: K,
    ranker,
  });
  return hits.map(toHit);
}

const toHit = (hit) => ({ key: `${hit.fileId}/${hit.chunkIndex}`, distance: 1 - hit.score });

export function rawSql(ctx) {
  const distance = ctx.services.vectors.distance('$3', DIMS, 'c.embedding');
  return `SELECT c.file_id, c.chunk_index, ${distance} AS distance FROM chunks c
           WHERE c.tenant_id = $1 AND c.vector_store_id = $2 AND c.dims = ${DIMS}
           ORDER BY ${distance} LIMIT ${K}`;
}

/** The k nearest by the HNSW index (at an ef_search) or exactly (index scans off: a sequential scan and a sort). */
export async function rawSearch(ctx, query, { exact = false, efSearch = 100 }) {
  const rows = await ctx.db.transaction(async (tx) => {
    if (exact) await tx.query('SET LOCAL enable_indexscan = off');
    else await tx.query(`SET LOCAL hnsw.ef_search = ${efSearch}`);
    return tx.query(rawSql(ctx), [TENANT, ctx.store.id, ctx.services.vectors.literal(query.embedding)]);
  });
  return rows.map((row) => ({ key: `${row.file_id}/${row.chunk_index}`, distance: Number(row.distance) }));
}

export async function rawPlan(ctx, { exact = false, efSearch = 100 }) {
  const query = ctx.queries[0];
  const plan = await ctx.db.transaction(async (tx) => {
    if (exact) await tx.query('SET LOCAL enable_indexscan = off');
    else await tx.query(`SET LOCAL hnsw.ef_search = ${efSearch}`);
    return tx.query(`EXPLAIN ${rawSql(ctx)}`, [
      TENANT,
      ctx.store.id,
      ctx.services.vectors.literal(query.embedding),
    ]);
  });
  return usesHnsw(plan);
}

/** Whether ChunkIndex.search's query (recorded, then explained with its settings) scans the HNSW index. */
export async function chunkIndexPlan(ctx, ranker) {
  await chunkSearch(ctx, ctx.queries[0], ranker);
  const { sql, params } = ctx.recorder.last;
  const plan = await ctx.db.transaction(async (tx) => {
    await applySearchSettings(tx);
    return tx.query(`EXPLAIN ${sql}`, params);
  });
  return usesHnsw(plan);
}

/**
 * The vector half of hybrid search as shipped: the `nearest` CTE of the very
 * statement ChunkIndex.search runs for the API's default ranker (recorded
 * from it), run alone under the same search settings and cut to the top K.
 * The hybrid result fuses these candidates with full-text ones, so its own
 * list is not comparable with exact search; this half is.
 */
export async function recordVectorHalf(ctx) {
  await chunkSearch(ctx, ctx.queries[0], 'hybrid');
  const { sql, params } = ctx.recorder.last;
  const body = /nearest AS MATERIALIZED \(([\s\S]*?)\),\s*vector_ranked AS/.exec(sql)?.[1];
  // $1 tenant, $2 stores, $3 the query's embedding, $4 the candidate count; anything more is not the vector half's.
  if (!body || /\$(?:[5-9]|\d{2,})/.test(body))
    throw new Error(
      "bench: the vector half (the `nearest` CTE) of ChunkIndex.search's hybrid statement was not found; update recordVectorHalf",
    );
  return {
    sql: `WITH nearest AS MATERIALIZED (${body})
          SELECT c.file_id, c.chunk_index, n.distance FROM nearest n JOIN chunks c ON c.id = n.id
           ORDER BY n.distance, n.id LIMIT ${K}`,
    params: (query) => [params[0], params[1], ctx.services.vectors.literal(query.embedding), params[3]],
  };
}

export async function vectorHalfSearch(ctx, half, query) {
  const rows = await ctx.db.transaction(async (tx) => {
    await applySearchSettings(tx);
    return tx.query(half.sql, half.params(query));
  });
  return rows.map((row) => ({ key: `${row.file_id}/${row.chunk_index}`, distance: Number(row.distance) }));
}

export async function vectorHalfPlan(ctx, half) {
  const plan = await ctx.db.transaction(async (tx) => {
    await applySearchSettings(tx);
    return tx.query(`EXPLAIN ${half.sql}`, half.params(ctx.queries[0]));
  });
  return usesHnsw(plan);
}

const usesHnsw = (plan) => plan.some((row) => String(row['QUERY PLAN']).includes(HNSW_INDEX));

/** A Database that remembers the last statement run in a transaction (ChunkIndex.search's query). */
export function recordingDatabase(db) {
  const recorder = {
    dialect: db.dialect,
    hasVector: db.hasVector,
    last: undefined,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query(sql, params) {
            recorder.last = { sql, params };
            return tx.query(sql, params);
          },
          exec: (sql) => tx.exec(sql),
        }),
      ),
  };
  return recorder;
}
