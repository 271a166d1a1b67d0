import type { Database, Queryable, SqlParam } from '../storage/database.js';
import { type AttributeFilter, compileFilter } from './attribute-filter.js';
import { toTextArray } from './embedding-cache.js';
import type { VectorColumn } from './vector-column.js';
import type { Attributes } from './vector-store-repository.js';

export interface NewChunk {
  index: number;
  text: string;
  tokens: number;
  embedding: number[];
  /** What the safety checks found in the passage (injection categories); [] for none, absent when not checked. */
  flags?: readonly string[] | undefined;
}

export interface ChunkHit {
  vectorStoreId: string;
  fileId: string;
  filename: string;
  chunkIndex: number;
  text: string;
  attributes: Attributes;
  /** Cosine similarity of the chunk to the query, 0 to 1 (what score thresholds apply to). */
  score: number;
  /** The fused rank score (reciprocal rank fusion of vector and full-text ranks). */
  fusedScore: number;
  /** The safety flags stored when the chunk was indexed; null for chunks indexed before they were (migration 0015). */
  flags: string[] | null;
}

export interface SearchRequest {
  tenantId: string;
  vectorStoreIds: readonly string[];
  query: string;
  embedding: number[];
  maxResults: number;
  filter?: AttributeFilter | undefined;
  scoreThreshold?: number | undefined;
  /** `none` ranks by vector similarity alone. */
  ranker?: 'hybrid' | 'vector' | undefined;
}

/** RRF's constant: ranks below ~60 count for little, as in the original paper. */
const RRF_K = 60;
const INSERT_BATCH = 500;

/**
 * Settings of a search transaction with pgvector. An HNSW beam of 500 gives
 * recall@10 above 0.95 at 100k chunks (bench/knowledge.mjs); iterative scans
 * keep filters from starving the result; and with sequential scans off the
 * planner keeps to the indexes, which it otherwise gives up for a wide beam.
 */
const SEARCH_SETTINGS: ReadonlyArray<[string, string]> = [
  ['hnsw.ef_search', '500'],
  ['hnsw.iterative_scan', 'relaxed_order'],
  ['enable_seqscan', 'off'],
];
const SET_SEARCH_SETTINGS = `SELECT ${SEARCH_SETTINGS.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`;

/** Applies SEARCH_SETTINGS to the transaction `tx` (they end with it). */
export async function applySearchSettings(tx: Queryable): Promise<void> {
  await tx.query(SET_SEARCH_SETTINGS, SEARCH_SETTINGS.flat());
}

/**
 * A query word found (by the planner's statistics) in more chunks than this
 * is left out of the full-text half of search: it says little about a chunk,
 * and ranking every chunk it matches is what made hybrid search slow.
 */
const COMMON_WORD_CHUNKS = 1000;
/**
 * The full-text half ranks at most this many matching chunks: ranking reads
 * each one's full-text vector, the bulk of that half's time (100 rather than
 * 200 took 10 ms off hybrid p95 at 100k chunks, bench/knowledge.mjs).
 */
const FULL_TEXT_CANDIDATES = 100;
/** How long the list of common words is reused before it is read again. */
const COMMON_WORDS_TTL_MS = 10 * 60 * 1000;
/** ANALYZE after this many new chunks plus a tenth of the table, as autovacuum would; PGlite has none. */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;

/** Words of a query (letters and digits only, at most 32): a chunk matching any of them is a full-text candidate. */
export function queryWords(text: string): string[] {
  return [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 32))];
}

/**
 * The chunks of every vector store, with their embeddings and full-text
 * vectors, and hybrid search over them.
 */
export class ChunkIndex {
  private commonWords: { words: string[]; readAt: number } | undefined;
  private sinceAnalyze = 0;
  private analyzing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly vectors: VectorColumn,
    private readonly dims: number,
  ) {}

  /** Replaces a file's chunks in a vector store, in one transaction. */
  async replace(
    tx: Queryable,
    tenantId: string,
    vectorStoreId: string,
    fileId: string,
    chunks: readonly NewChunk[],
  ): Promise<void> {
    await tx.query('DELETE FROM chunks WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3', [
      tenantId,
      vectorStoreId,
      fileId,
    ]);
    const cast = this.vectors.kind === 'pgvector' ? 'vector' : 'real[]';
    for (let start = 0; start < chunks.length; start += INSERT_BATCH) {
      const batch = chunks.slice(start, start + INSERT_BATCH);
      await tx.query(
        `INSERT INTO chunks (tenant_id, vector_store_id, file_id, chunk_index, text, tokens, dims, embedding, flags)
         SELECT $1, $2, $3, c.chunk_index, c.text, c.tokens, $4, c.embedding::${cast}, string_to_array(c.flags, ',')
           FROM unnest($5::int[], $6::text[], $7::int[], $8::text[], $9::text[])
             AS c(chunk_index, text, tokens, embedding, flags)`,
        [
          tenantId,
          vectorStoreId,
          fileId,
          this.dims,
          `{${batch.map((chunk) => chunk.index).join(',')}}`,
          toTextArray(batch.map((chunk) => chunk.text.replaceAll('\u0000', ''))),
          `{${batch.map((chunk) => chunk.tokens).join(',')}}`,
          toTextArray(batch.map((chunk) => String(this.vectors.literal(chunk.embedding)))),
          // Categories are snake_case words: joined by commas, one text per chunk ('' for none, NULL unchecked).
          `{${batch.map((chunk) => (chunk.flags ? `"${chunk.flags.join(',')}"` : 'NULL')).join(',')}}`,
        ],
      );
    }
    this.sinceAnalyze += chunks.length;
  }

  /**
   * Refreshes the planner's statistics once enough chunks have been added
   * since the last time (the rule autovacuum applies, which PGlite lacks).
   * Without them the planner does not use the HNSW index at all. In PGlite
   * the database is busy meanwhile: about a second at 100k chunks.
   */
  async analyzeIfGrown(): Promise<void> {
    if (this.analyzing) return this.analyzing;
    const [row] = await this.db.query<{ rows: number | string }>(
      "SELECT greatest(reltuples, 0) AS rows FROM pg_class WHERE oid = 'chunks'::regclass",
    );
    if (this.sinceAnalyze < ANALYZE_BASE + ANALYZE_SCALE * Number(row?.rows ?? 0)) return;
    this.sinceAnalyze = 0;
    this.analyzing = this.db
      // Not `text` or `embedding`: no plan depends on them, and they are most of ANALYZE's time.
      .exec('ANALYZE chunks (tenant_id, vector_store_id, file_id, dims, tsv); ANALYZE vector_store_files')
      .then(() => {
        this.commonWords = undefined;
      })
      .finally(() => {
        this.analyzing = undefined;
      });
    return this.analyzing;
  }

  /**
   * Hybrid search: the nearest chunks by embedding (HNSW where pgvector is
   * there) and the best full-text matches, fused by reciprocal rank.
   */
  async search(request: SearchRequest): Promise<ChunkHit[]> {
    if (request.vectorStoreIds.length === 0) return [];
    const candidates = Math.max(40, request.maxResults * 4);
    const params: SqlParam[] = [
      request.tenantId,
      toTextArray(request.vectorStoreIds),
      this.vectors.literal(request.embedding),
      candidates,
    ];
    const filter = request.filter ? ` AND ${compileFilter(request.filter, 'f.attributes', params)}` : '';
    const scope = `c.tenant_id = $1 AND c.vector_store_id = ANY($2::text[]) AND c.dims = ${this.dims}
       AND f.status = 'completed'${filter}`;
    const distance = this.vectors.distance('$3', this.dims, 'c.embedding');
    const words = request.ranker === 'vector' ? [] : queryWords(request.query);
    let textQuery = '';
    let fullText = 'SELECT NULL::bigint AS id, NULL::bigint AS rank WHERE false';
    if (words.length > 0) {
      params.push(toTextArray(words), toTextArray(await this.commonWordList()));
      // The query's words OR-ed, less those whose stems are all common (NULL when none is left).
      textQuery = `text_query AS MATERIALIZED (
        SELECT to_tsquery('english', string_agg(w, ' | ')) AS q FROM unnest($${params.length - 1}::text[]) w
         WHERE NOT (tsvector_to_array(to_tsvector('english', w)) <@ $${params.length}::text[])
      ),`;
      fullText = `SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
          SELECT m.id, ts_rank_cd(m.tsv, text_query.q) AS score
            FROM text_query, LATERAL (
              SELECT c.id, c.tsv
                FROM chunks c JOIN vector_store_files f
                  ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
               WHERE ${scope} AND c.tsv @@ text_query.q
               LIMIT ${FULL_TEXT_CANDIDATES}) m
           ORDER BY score DESC LIMIT $4) t`;
    }
    const sql = `
      WITH ${textQuery} nearest AS MATERIALIZED (
        SELECT c.id, ${distance} AS distance
          FROM chunks c JOIN vector_store_files f
            ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
         WHERE ${scope}
         ORDER BY ${distance} LIMIT $4
      ),
      vector_ranked AS (SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM nearest),
      text_ranked AS (${fullText})
      SELECT c.vector_store_id, c.file_id, c.chunk_index, c.text, c.flags, f.attributes, files.filename,
             ${this.vectors.similarity('$3', this.dims, 'c.embedding')} AS similarity,
             coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + t.rank), 0) AS fused
        FROM (SELECT id FROM vector_ranked UNION SELECT id FROM text_ranked) ids
        JOIN chunks c ON c.id = ids.id
        JOIN vector_store_files f ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
        JOIN files ON files.id = c.file_id
        LEFT JOIN vector_ranked v ON v.id = c.id
        LEFT JOIN text_ranked t ON t.id = c.id
       ORDER BY ${request.ranker === 'vector' ? 'similarity DESC' : 'fused DESC, similarity DESC'}
       LIMIT ${Math.max(1, Math.min(request.maxResults * 3, 200))}`;
    const rows = await this.withSearchSettings((tx) =>
      tx.query<{
        vector_store_id: string;
        file_id: string;
        chunk_index: number;
        text: string;
        flags: string[] | null;
        attributes: Attributes;
        filename: string;
        similarity: number | string;
        fused: number | string;
      }>(sql, params),
    );
    const threshold = request.scoreThreshold ?? 0;
    return rows
      .map((row) => ({
        vectorStoreId: row.vector_store_id,
        fileId: row.file_id,
        filename: row.filename,
        chunkIndex: row.chunk_index,
        text: row.text,
        attributes: row.attributes,
        score: clamp01(Number(row.similarity)),
        fusedScore: Number(row.fused),
        flags: row.flags,
      }))
      .filter((hit) => hit.score >= threshold)
      .slice(0, request.maxResults);
  }

  /**
   * Stems found in more than COMMON_WORD_CHUNKS chunks, by the planner's
   * statistics of the whole table (none before its first ANALYZE).
   */
  private async commonWordList(): Promise<string[]> {
    if (this.commonWords && Date.now() - this.commonWords.readAt < COMMON_WORDS_TTL_MS) {
      return this.commonWords.words;
    }
    // most_common_elem_freqs has three more entries than most_common_elems (min, max, nulls): zipped, they pair with NULL.
    const rows = await this.db.query<{ word: string }>(
      `SELECT s.word FROM (
         SELECT unnest(most_common_elems::text::text[]) AS word, unnest(most_common_elem_freqs) AS freq
           FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'chunks' AND attname = 'tsv'
       ) s, pg_class t
        WHERE t.oid = 'chunks'::regclass AND s.word IS NOT NULL AND s.freq * t.reltuples > $1`,
      [COMMON_WORD_CHUNKS],
    );
    this.commonWords = { words: rows.map((row) => row.word), readAt: Date.now() };
    return this.commonWords.words;
  }

  private async withSearchSettings<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.vectors.kind !== 'pgvector') return fn(this.db);
    return this.db.transaction(async (tx) => {
      await applySearchSettings(tx);
      return fn(tx);
    });
  }
}

const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);
