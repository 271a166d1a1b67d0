// agentd's knowledge benchmark: file ingestion and vector-store search in
// embedded mode (PGlite with pgvector), on a synthetic corpus (see
// knowledge-corpus.mjs) embedded by the local hashing embedder.
//
//   node bench/knowledge.mjs            10k and 100k chunks (about 13 minutes on 2 cores)
//   node bench/knowledge.mjs --quick    2k chunks, a smoke run
//   --sizes=10000,50000  --queries=100  --ef=40,100,200  override the defaults
//   --build=16:64        build the index WITH (m = 16, ef_construction = 64) instead of ensureIndex's (16:128)
//   --maintenance-work-mem=1GB   for a --build index (ensureIndex uses 256MB; PGlite's default is 64MB)
//   --keep               keep the PGlite data directory (printed) for a closer look afterwards
//
// At each size: bulk-load pre-embedded chunks through ChunkIndex.replace
// with the HNSW index dropped (refreshing statistics as ingestion does,
// ChunkIndex.analyzeIfGrown), build the index (VectorColumn.ensureIndex),
// then ingest a few ~100-chunk files through the real pipeline (upload,
// IngestionQueue: extract, chunk, embed through the cache, insert into the
// live index). Then search: hybrid as the API does it, vector-only, raw
// HNSW at several ef_search values, and exact; recall@10 against exact, for
// the vector half of the hybrid statement as shipped among them. It ends with
// a verdict on issue 5's targets at 100k chunks (recall@10 of that vector half
// >= 0.95, p95 of hybrid search through VectorStoreService.search < 50 ms).
// Recall is computed against a brute-force scan in memory over the same
// vectors (knowledge-exact.mjs), because PostgreSQL's exact search takes over a
// second per query at 100k chunks in PGlite; the two are checked to agree on
// the queries timed for exact search.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ChunkIndex,
  createKnowledgeServices,
  createLogger,
  loadConfig,
  migrate,
  openPgliteDatabase,
  startKnowledgeServices,
} from '../packages/server/dist/index.js';
import { chunkText, HashingEmbeddings } from '../packages/tools/files/dist/index.js';
import { Corpus } from './knowledge-corpus.mjs';
import { BruteForceIndex } from './knowledge-exact.mjs';
import { judgeTargets, printCheckpoint, printTargets } from './knowledge-report.mjs';
import {
  chunkIndexPlan,
  chunkSearch,
  DIMS,
  HNSW_INDEX,
  hybridSearch,
  K,
  rawPlan,
  rawSearch,
  recordingDatabase,
  recordVectorHalf,
  TENANT,
  vectorHalfPlan,
  vectorHalfSearch,
} from './knowledge-search.mjs';
import { latency, mean, now, rate, recallAt, seconds } from './knowledge-stats.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name, fallback) => {
  const found = args.find((arg) => arg.startsWith(`--${name}=`));
  return found ? found.slice(name.length + 3) : fallback;
};
const numbers = (text) => text.split(',').map(Number);

const SIZES = numbers(option('sizes', quick ? '2000' : '10000,100000'));
const QUERIES = Number(option('queries', quick ? '50' : '200'));
/** hnsw.ef_search values to sweep (pgvector accepts 1 to 1000; ChunkIndex uses 500). */
const EF_SEARCH = numbers(option('ef', '40,100,200,400,500,800'));
const WARMUP = quick ? 5 : 20;
/** PostgreSQL's exact search: about 1 s a query at 100k chunks in PGlite, so fewer queries. */
const EXACT_QUERIES = Math.min(QUERIES, 20);
const BUILD = option('build', undefined)?.split(':').map(Number);
const MAINTENANCE_WORK_MEM = option('maintenance-work-mem', undefined);
const PIPELINE_FILES = quick ? 3 : 10;
const SEED = 20_251_123;
/** The chunking of the bench's vector store (chunkText's defaults; the API's `auto` is 800/400). */
const CHUNKING = { max_chunk_size_tokens: 400, chunk_overlap_tokens: 80 };
const CHUNK_OPTIONS = {
  maxTokens: CHUNKING.max_chunk_size_tokens,
  overlapTokens: CHUNKING.chunk_overlap_tokens,
};
/** About what one chunk advances through a document, so that a file of 100 * this is ~100 chunks. */
const TOKENS_PER_CHUNK = 300;
const BULK_BATCH = 2000;

async function main() {
  const started = now();
  const dir = mkdtempSync(join(tmpdir(), 'agentd-bench-knowledge-'));
  const logger = createLogger('silent');
  const config = loadConfig({
    AGENTD_DATA_DIR: dir,
    AGENTD_LOG_LEVEL: 'silent',
    AGENTD_EMBEDDINGS: 'hashing',
  });
  const db = await openPgliteDatabase(join(dir, 'db'), { buffersMb: config.AGENTD_PGLITE_BUFFERS_MB });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 250);
  try {
    await migrate(db);
    await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [TENANT, 'bench']);
    const services = createKnowledgeServices(config, db, logger, { masterKey: randomBytes(32) });
    const recorder = recordingDatabase(db);
    const index = new ChunkIndex(recorder, services.vectors, DIMS);
    const store = await services.vectorStores.create(TENANT, {
      name: 'bench',
      metadata: {},
      chunking: CHUNKING,
      fileIds: [],
    });
    const corpus = new Corpus(SEED);
    // A second generator with the same seed: the same words and topics, its own stream of queries.
    const queryCorpus = new Corpus(SEED);
    const embedder = new HashingEmbeddings({ dimensions: DIMS });
    const queries = Array.from({ length: WARMUP + QUERIES }, () => {
      const text = queryCorpus.query();
      return { text, embedding: embedder.embedOne(text) };
    });
    const truth = new BruteForceIndex(DIMS);
    const ctx = { db, services, index, recorder, store, corpus, embedder, queries, truth, files: 0 };

    console.log(
      `agentd knowledge benchmark: PGlite + pgvector, hashing embedder (${DIMS} dims), chunks of ${CHUNKING.max_chunk_size_tokens} tokens (overlap ${CHUNKING.chunk_overlap_tokens}), ${QUERIES} queries${quick ? ' (quick)' : ''}`,
    );
    const results = [];
    let first = true;
    for (const size of SIZES) {
      const result = await checkpoint(ctx, size, first);
      first = false;
      results.push(result);
      printCheckpoint(result);
    }
    clearInterval(sampler);
    const targets = judgeTargets(results);
    printTargets(targets);
    const totalMs = now() - started;
    console.log(`\ntotal ${seconds(totalMs)}, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB`);
    console.log(
      JSON.stringify({
        bench: 'knowledge',
        quick,
        queries: QUERIES,
        chunking: CHUNKING,
        total_s: Math.round(totalMs / 100) / 10,
        peak_rss_mib: Math.round(peakRss / 2 ** 20),
        targets,
        results,
      }),
    );
  } finally {
    clearInterval(sampler);
    await db.close();
    if (args.includes('--keep')) console.log(`kept the data directory: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Grows the store to `size` chunks and measures ingestion and search there. */
async function checkpoint(ctx, size, first) {
  const { db, services } = ctx;
  const current = await chunkCount(db);
  const pipelineTarget = Math.min(PIPELINE_FILES * 100, Math.floor((size - current) / 2));
  // Bulk: the HNSW index is dropped and rebuilt once, as one would for a large import.
  await db.exec(`DROP INDEX IF EXISTS ${HNSW_INDEX}`);
  const bulk = await bulkLoad(ctx, size - current - pipelineTarget);

  if (MAINTENANCE_WORK_MEM) await db.exec(`SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`);
  let build = now();
  if (BUILD) {
    const [m, efConstruction] = BUILD;
    await db.exec(
      `CREATE INDEX ${HNSW_INDEX} ON chunks USING hnsw ((embedding::vector(${DIMS})) vector_cosine_ops)
         WITH (m = ${m}, ef_construction = ${efConstruction}) WHERE dims = ${DIMS}`,
    );
  } else if (first) {
    await startKnowledgeServices(db, services); // what the server runs at start
  } else {
    // A fresh VectorColumn: the services' one remembers that it made the index already.
    const fresh = services.vectors.constructor.assume(services.vectors.kind, createLogger('silent'));
    await fresh.ensureIndex(db, 'chunks', DIMS);
  }
  build = now() - build;
  if (!(await indexExists(db))) throw new Error(`the HNSW index ${HNSW_INDEX} was not built`);

  const pipeline = await ingestFiles(ctx, pipelineTarget);
  const chunks = await chunkCount(db);

  // Search with the statistics ingestion left (PGlite has no autovacuum; ChunkIndex analyzes as chunks grow).
  const half = await recordVectorHalf(ctx);
  const plans = {
    hybrid: await chunkIndexPlan(ctx, 'hybrid'),
    vectorHalf: await vectorHalfPlan(ctx, half),
    vector: await chunkIndexPlan(ctx, 'vector'),
    exact: await rawPlan(ctx, { exact: true }),
  };
  const expected = ctx.queries.slice(WARMUP).map((query) => ctx.truth.nearest(query.embedding, K));
  const exact = await measure(ctx, (q) => rawSearch(ctx, q, { exact: true }), EXACT_QUERIES, 2);
  const hybrid = await measure(ctx, (q) => hybridSearch(ctx, q));
  const vectorHalf = await measure(ctx, (q) => vectorHalfSearch(ctx, half, q));
  const vector = await measure(ctx, (q) => chunkSearch(ctx, q, 'vector'));
  const sweep = [];
  for (const ef of EF_SEARCH) {
    const run = await measure(ctx, (q) => rawSearch(ctx, q, { efSearch: ef }));
    // The planner weighs ef_search: with a wide beam on a small table it may prefer the sequential scan.
    const usesIndex = await rawPlan(ctx, { efSearch: ef });
    sweep.push({ ef_search: ef, ...run.latency, recall: recall(run.hits, expected), uses_hnsw: usesIndex });
  }
  const sizes = await storageSizes(db);
  return {
    size,
    chunks,
    ingestion: {
      pipeline,
      bulk,
      hnsw_build_s: round(build / 1000),
      hnsw_build: {
        m: BUILD?.[0] ?? 16,
        ef_construction: BUILD?.[1] ?? 128,
        maintenance_work_mem: BUILD
          ? (await db.query('SHOW maintenance_work_mem'))[0].maintenance_work_mem
          : '256MB',
      },
      analyze_s: round(bulk.analyze_ms / 1000),
      ...sizes,
    },
    search: {
      hybrid: { ...hybrid.latency, uses_hnsw: plans.hybrid },
      vector_half: {
        ...vectorHalf.latency,
        recall: recall(vectorHalf.hits, expected),
        uses_hnsw: plans.vectorHalf,
      },
      vector: { ...vector.latency, recall: recall(vector.hits, expected), uses_hnsw: plans.vector },
      hnsw: sweep,
      exact: { ...exact.latency, recall: recall(exact.hits, expected), uses_hnsw: plans.exact },
    },
  };
}

/** Pre-embedded chunks in transactions of ~2000, through ChunkIndex.replace. */
async function bulkLoad(ctx, count) {
  const { db, index, store, corpus, embedder } = ctx;
  let prepMs = 0;
  let insertMs = 0;
  let analyzeMs = 0;
  let loaded = 0;
  while (loaded < count) {
    const t0 = now();
    const batch = [];
    let batchChunks = 0;
    while (batchChunks < BULK_BATCH && loaded + batchChunks < count) {
      const { text } = corpus.document(TOKENS_PER_CHUNK * (5 + Math.floor(corpus.random() * 56)));
      const pieces = chunkText(text, CHUNK_OPTIONS).slice(0, count - loaded - batchChunks);
      const vectors = await embedder.embed(pieces.map((piece) => piece.text));
      batch.push({
        id: `file_bulk${String(ctx.files++).padStart(6, '0')}`,
        bytes: Buffer.byteLength(text),
        chunks: pieces.map((piece, i) => ({
          index: piece.index,
          text: piece.text,
          tokens: piece.tokens,
          embedding: vectors[i],
        })),
      });
      batchChunks += pieces.length;
    }
    const t1 = now();
    await db.transaction(async (tx) => {
      for (const file of batch) {
        await tx.query(
          `INSERT INTO files (id, tenant_id, filename, purpose, bytes, content_type, sha256, object_key)
           VALUES ($1, $2, $3, 'assistants', $4, 'text/plain', 'bench', 'bench/none')`,
          [file.id, TENANT, `${file.id}.txt`, file.bytes],
        );
        await tx.query(
          `INSERT INTO vector_store_files (vector_store_id, file_id, tenant_id, status, chunk_count, usage_bytes)
           VALUES ($1, $2, $3, 'completed', $4, $5)`,
          [store.id, file.id, TENANT, file.chunks.length, file.bytes],
        );
        await index.replace(tx, TENANT, store.id, file.id, file.chunks);
      }
    });
    for (const file of batch)
      ctx.truth.add(
        file.chunks.map((chunk) => ({ key: `${file.id}/${chunk.index}`, embedding: chunk.embedding })),
      );
    prepMs += t1 - t0;
    insertMs += now() - t1;
    loaded += batchChunks;
    const t2 = now();
    await index.analyzeIfGrown(); // what ingestion does after each file
    analyzeMs += now() - t2;
  }
  return {
    chunks: loaded,
    chunks_per_s: rate(loaded, prepMs + insertMs),
    insert_chunks_per_s: rate(loaded, insertMs),
    prep_s: round(prepMs / 1000),
    insert_s: round(insertMs / 1000),
    analyze_ms: analyzeMs,
  };
}

/** Files of ~100 chunks through the real path: upload, then the IngestionQueue into the live index. */
async function ingestFiles(ctx, chunkTarget) {
  const { db, services, store, corpus } = ctx;
  const count = Math.max(1, Math.round(chunkTarget / 100));
  const documents = Array.from({ length: count }, () => corpus.document(TOKENS_PER_CHUNK * 100).text);
  const t0 = now();
  const uploaded = [];
  for (const text of documents) {
    const bytes = Buffer.from(text);
    uploaded.push(
      await services.files.upload(TENANT, {
        filename: `pipeline-${ctx.files++}.txt`,
        purpose: 'assistants',
        contentType: 'text/plain',
        body: Readable.from([bytes]),
        sizeHint: bytes.byteLength,
      }),
    );
  }
  const t1 = now();
  for (const file of uploaded) await services.vectorStores.addFile(TENANT, store.id, file.id, {});
  await services.ingestion.idle();
  const t2 = now();
  const rows = await db.query(
    'SELECT status, chunk_count, last_error FROM vector_store_files WHERE vector_store_id = $1 AND file_id = ANY($2::text[])',
    [store.id, uploaded.map((file) => file.id)],
  );
  const failed = rows.filter((row) => row.status !== 'completed');
  if (failed.length > 0) throw new Error(`ingestion failed: ${JSON.stringify(failed[0].last_error)}`);
  const chunks = rows.reduce((sum, row) => sum + row.chunk_count, 0);
  // The ground truth learns these chunks as the pipeline cut them, embedded the same way.
  const stored = await db.query(
    'SELECT file_id, chunk_index, text FROM chunks WHERE vector_store_id = $1 AND file_id = ANY($2::text[])',
    [store.id, uploaded.map((file) => file.id)],
  );
  const vectors = await ctx.embedder.embed(stored.map((row) => row.text));
  ctx.truth.add(
    stored.map((row, i) => ({ key: `${row.file_id}/${row.chunk_index}`, embedding: vectors[i] })),
  );
  const mib = documents.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 2 ** 20;
  return {
    files: count,
    chunks,
    chunks_per_s: rate(chunks, t2 - t1),
    ingest_s: round((t2 - t1) / 1000),
    upload_mib_per_s: round(mib / ((t1 - t0) / 1000)),
  };
}

async function measure(ctx, search, count = QUERIES, warmup = WARMUP) {
  const { queries } = ctx;
  for (let i = 0; i < warmup; i++) await search(queries[i % queries.length]);
  const samples = [];
  const hits = [];
  for (let i = 0; i < count; i++) {
    const query = queries[WARMUP + (i % QUERIES)];
    const t0 = now();
    hits.push(await search(query));
    samples.push(now() - t0);
  }
  return { latency: latency(samples), hits };
}

const recall = (approx, exact) => round(mean(approx.map((hits, i) => recallAt(K, hits, exact[i]))), 3);

async function chunkCount(db) {
  const [row] = await db.query('SELECT count(*)::int AS n FROM chunks');
  return row.n;
}

async function indexExists(db) {
  const rows = await db.query('SELECT 1 FROM pg_indexes WHERE indexname = $1', [HNSW_INDEX]);
  return rows.length > 0;
}

async function storageSizes(db) {
  const [row] = await db.query(
    `SELECT pg_total_relation_size('chunks')::float8 AS chunks, pg_relation_size('${HNSW_INDEX}')::float8 AS hnsw`,
  );
  return {
    chunks_table_mib: Math.round(row.chunks / 2 ** 20),
    hnsw_index_mib: Math.round(row.hnsw / 2 ** 20),
  };
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

await main();
