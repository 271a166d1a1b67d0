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

/** Words of a query, OR-ed into a tsquery: a chunk matching any of them is a full-text candidate. */
export function orQuery(text: string): string | undefined {
  const words = [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 32))];
  return words.length === 0 ? undefined : words.join(' | ');
}

/**
 * The chunks of every vector store, with their embeddings and full-text
 * vectors, and hybrid search over them.
 */
export class ChunkIndex {
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
        `INSERT INTO chunks (tenant_id, vector_store_id, file_id, chunk_index, text, tokens, dims, embedding)
         SELECT $1, $2, $3, c.chunk_index, c.text, c.tokens, $4, c.embedding::${cast}
           FROM unnest($5::int[], $6::text[], $7::int[], $8::text[]) AS c(chunk_index, text, tokens, embedding)`,
        [
          tenantId,
          vectorStoreId,
          fileId,
          this.dims,
          `{${batch.map((chunk) => chunk.index).join(',')}}`,
          toTextArray(batch.map((chunk) => chunk.text.replace(/\u0000/g, ''))),
          `{${batch.map((chunk) => chunk.tokens).join(',')}}`,
          toTextArray(batch.map((chunk) => String(this.vectors.literal(chunk.embedding)))),
        ],
      );
    }
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
    const tsquery = request.ranker === 'vector' ? undefined : orQuery(request.query);
    let fullText = 'SELECT NULL::bigint AS id, NULL::bigint AS rank WHERE false';
    if (tsquery !== undefined) {
      params.push(tsquery);
      const q = `to_tsquery('english', $${params.length})`;
      fullText = `SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
          SELECT c.id, ts_rank_cd(c.tsv, ${q}) AS score
            FROM chunks c JOIN vector_store_files f
              ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
           WHERE ${scope} AND c.tsv @@ ${q}
           ORDER BY score DESC LIMIT $4) t`;
    }
    const sql = `
      WITH nearest AS MATERIALIZED (
        SELECT c.id, ${distance} AS distance
          FROM chunks c JOIN vector_store_files f
            ON f.vector_store_id = c.vector_store_id AND f.file_id = c.file_id
         WHERE ${scope}
         ORDER BY ${distance} LIMIT $4
      ),
      vector_ranked AS (SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM nearest),
      text_ranked AS (${fullText})
      SELECT c.vector_store_id, c.file_id, c.chunk_index, c.text, f.attributes, files.filename,
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
      }))
      .filter((hit) => hit.score >= threshold)
      .slice(0, request.maxResults);
  }

  /** With pgvector: a wider HNSW beam, and iterative scans so filters do not starve the result. */
  private async withSearchSettings<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    if (this.vectors.kind !== 'pgvector') return fn(this.db);
    return this.db.transaction(async (tx) => {
      await tx.query("SELECT set_config('hnsw.ef_search', '100', true)");
      await tx.query("SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)");
      return fn(tx);
    });
  }
}

const clamp01 = (value: number) => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);
