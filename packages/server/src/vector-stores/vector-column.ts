import type { Logger } from 'pino';
import type { Database, Queryable, SqlParam } from '../storage/database.js';

/** Memory for building an HNSW index over rows already there (PGlite's default is 64MB). */
const INDEX_BUILD_MEMORY = '256MB';

/** The tables whose `embedding` column this module manages. */
export type EmbeddingTable = 'chunks' | 'memories';

/**
 * How embeddings are stored and compared in this database. With pgvector the
 * column is an untyped `vector` and each dimension in use gets its own partial
 * HNSW index (cosine); without it the column is `real[]` and search is exact,
 * computed in SQL. Vectors are L2-normalised before they are stored or
 * compared, so cosine similarity is their dot product.
 */
export class VectorColumn {
  private readonly indexed = new Set<string>();

  private constructor(
    readonly kind: 'pgvector' | 'array',
    private readonly logger: Logger,
  ) {}

  /** A column of a known kind (tests, or when detection is not possible). */
  static assume(kind: 'pgvector' | 'array', logger: Logger): VectorColumn {
    return new VectorColumn(kind, logger);
  }

  /** Reads the column type the migration chose; warns once when search has to be exact. */
  static async detect(db: Queryable, logger: Logger): Promise<VectorColumn> {
    const [row] = await db.query<{ udt_name: string }>(
      `SELECT udt_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'chunks' AND column_name = 'embedding'`,
    );
    const kind = row?.udt_name === 'vector' ? 'pgvector' : 'array';
    if (kind === 'array') {
      logger.warn(
        'the database has no pgvector extension: file search and memory use exact vector search, which slows down as they grow (install pgvector for HNSW indexes)',
      );
    }
    return new VectorColumn(kind, logger);
  }

  /** The parameter value for a vector (`$n` cast by `cast`). */
  literal(vector: readonly number[]): SqlParam {
    const body = normalize(vector)
      .map((value) => (Number.isFinite(value) ? value.toPrecision(7) : '0'))
      .join(',');
    return this.kind === 'pgvector' ? `[${body}]` : `{${body}}`;
  }

  /** A cast for a vector parameter of `dims` dimensions. */
  cast(param: string, dims: number): string {
    return this.kind === 'pgvector' ? `${param}::vector(${dims})` : `${param}::real[]`;
  }

  /**
   * Cosine similarity (1 = same direction) between the row's embedding and a
   * vector parameter. With pgvector the expression matches the partial
   * index, so `ORDER BY <distance> LIMIT k` uses HNSW.
   */
  similarity(param: string, dims: number, column = 'embedding'): string {
    return `(1 - ${this.distance(param, dims, column)})`;
  }

  distance(param: string, dims: number, column = 'embedding'): string {
    if (this.kind === 'pgvector') return `(${column}::vector(${dims}) <=> ${param}::vector(${dims}))`;
    return `(1 - (SELECT coalesce(sum(a * b), 0) FROM unnest(${column}, ${param}::real[]) AS v(a, b)))`;
  }

  /**
   * Creates the HNSW index for one table and dimension if it is missing.
   * ef_construction 128 (pgvector's default is 64) builds the graph that
   * reaches recall@10 0.95 at 100k chunks; a table that already holds rows is
   * indexed with more memory than PGlite's default, or the build crawls.
   * Concurrent creation by another process is harmless.
   */
  async ensureIndex(db: Database, table: EmbeddingTable, dims: number): Promise<void> {
    if (this.kind !== 'pgvector') return;
    const name = `${table}_embedding_hnsw_${dims}`;
    if (this.indexed.has(name)) return;
    try {
      await db.transaction(async (tx) => {
        await tx.query("SELECT set_config('maintenance_work_mem', $1, true)", [INDEX_BUILD_MEMORY]);
        await tx.query(
          `CREATE INDEX IF NOT EXISTS ${name} ON ${table}
             USING hnsw ((embedding::vector(${dims})) vector_cosine_ops)
             WITH (m = 16, ef_construction = 128) WHERE dims = ${dims}`,
        );
      });
    } catch (error) {
      // Two processes creating the same index: the loser sees a duplicate; the index exists.
      if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P07') {
        this.logger.warn({ err: error, index: name }, 'could not create a vector index; search stays exact');
        return;
      }
    }
    this.indexed.add(name);
  }
}

/** Scales a vector to unit length (the zero vector stays zero). */
export function normalize(vector: readonly number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm === 0 ? [...vector] : vector.map((value) => value / norm);
}
