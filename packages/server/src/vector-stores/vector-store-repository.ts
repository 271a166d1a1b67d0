import type { ListPage, PageQuery } from '@agentd/spec';
import { AgentdError, notFound } from '../errors.js';
import type { Queryable, SqlParam } from '../storage/database.js';
import { keysetClause, toListPage, toUnixSeconds } from '../storage/pagination.js';
import { toTextArray } from './embedding-cache.js';

export interface Chunking {
  max_chunk_size_tokens: number;
  chunk_overlap_tokens: number;
}

export type IngestionStatus = 'in_progress' | 'completed' | 'failed' | 'cancelled';
export type Attributes = Record<string, string | number | boolean>;
/** How many of a store's (or a batch's) files are in each ingestion status, and in all. */
export type FileCounts = Record<IngestionStatus | 'total', number>;

/** The counts from a row's per-status count columns (a count comes back as a string from PostgreSQL). */
export function fileCountsOf(row: Record<IngestionStatus, string | number | null>): FileCounts {
  const counts = {
    in_progress: Number(row.in_progress ?? 0),
    completed: Number(row.completed ?? 0),
    failed: Number(row.failed ?? 0),
    cancelled: Number(row.cancelled ?? 0),
  };
  return { ...counts, total: counts.in_progress + counts.completed + counts.failed + counts.cancelled };
}

export interface StoredVectorStore {
  id: string;
  name: string | null;
  metadata: Record<string, string>;
  chunking: Chunking;
  createdAt: number;
  lastActiveAt: number;
  usageBytes: number;
  fileCounts: FileCounts;
}

export interface StoredVectorStoreFile {
  vectorStoreId: string;
  fileId: string;
  status: IngestionStatus;
  lastError: { code: string; message: string } | null;
  attributes: Attributes;
  /** The chunking the file was added with; null: its store's. */
  chunking: Chunking | null;
  chunkCount: number;
  /** How many chunks the safety checks flagged at ingestion; null when not known (indexed before migration 0015, or not completed). */
  flaggedChunks: number | null;
  usageBytes: number;
  createdAt: number;
}

interface StoreRow {
  id: string;
  name: string | null;
  metadata: Record<string, string>;
  chunking: Chunking;
  created_at: Date;
  last_active_at: Date;
  usage_bytes: string | number | null;
  in_progress: string | number | null;
  completed: string | number | null;
  failed: string | number | null;
  cancelled: string | number | null;
}

/** A row of vector_store_files. */
export interface FileRow {
  vector_store_id: string;
  file_id: string;
  status: IngestionStatus;
  last_error: { code: string; message: string } | null;
  attributes: Attributes;
  chunking: Chunking | null;
  chunk_count: number;
  flagged_chunks: number | null;
  usage_bytes: string | number;
  created_at: Date;
}

const STORE_COLUMNS = `s.*,
  (SELECT coalesce(sum(usage_bytes), 0) FROM vector_store_files f WHERE f.vector_store_id = s.id) AS usage_bytes,
  (SELECT count(*) FROM vector_store_files f WHERE f.vector_store_id = s.id AND f.status = 'in_progress') AS in_progress,
  (SELECT count(*) FROM vector_store_files f WHERE f.vector_store_id = s.id AND f.status = 'completed') AS completed,
  (SELECT count(*) FROM vector_store_files f WHERE f.vector_store_id = s.id AND f.status = 'failed') AS failed,
  (SELECT count(*) FROM vector_store_files f WHERE f.vector_store_id = s.id AND f.status = 'cancelled') AS cancelled`;

function toStore(row: StoreRow): StoredVectorStore {
  return {
    id: row.id,
    name: row.name,
    metadata: row.metadata,
    chunking: row.chunking,
    createdAt: toUnixSeconds(row.created_at),
    lastActiveAt: toUnixSeconds(row.last_active_at),
    usageBytes: Number(row.usage_bytes ?? 0),
    fileCounts: fileCountsOf(row),
  };
}

export const toFile = (row: FileRow): StoredVectorStoreFile => ({
  vectorStoreId: row.vector_store_id,
  fileId: row.file_id,
  status: row.status,
  lastError: row.last_error,
  attributes: row.attributes,
  chunking: row.chunking ?? null,
  chunkCount: row.chunk_count,
  flaggedChunks: row.flagged_chunks ?? null,
  usageBytes: Number(row.usage_bytes),
  createdAt: toUnixSeconds(row.created_at),
});

/** Vector stores and the files in them, per tenant. Chunks live in ChunkIndex. */
export class VectorStoreRepository {
  constructor(private readonly db: Queryable) {}

  async create(
    tenantId: string,
    store: { id: string; name: string | null; metadata: Record<string, string>; chunking: Chunking },
  ): Promise<StoredVectorStore> {
    await this.db.query(
      'INSERT INTO vector_stores (id, tenant_id, name, metadata, chunking) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)',
      [store.id, tenantId, store.name, JSON.stringify(store.metadata), JSON.stringify(store.chunking)],
    );
    return this.get(tenantId, store.id);
  }

  async get(tenantId: string, id: string): Promise<StoredVectorStore> {
    const [row] = await this.db.query<StoreRow>(
      `SELECT ${STORE_COLUMNS} FROM vector_stores s WHERE s.tenant_id = $1 AND s.id = $2`,
      [tenantId, id],
    );
    if (!row) throw notFound('vector_store', id);
    return toStore(row);
  }

  async list(tenantId: string, page: PageQuery): Promise<ListPage<StoredVectorStore>> {
    const { where, orderLimit, params } = keysetClause(page, 2, 's.id');
    const rows = await this.db.query<StoreRow>(
      `SELECT ${STORE_COLUMNS} FROM vector_stores s WHERE s.tenant_id = $1${where}${orderLimit}`,
      [tenantId, ...params],
    );
    return toListPage(rows.map(toStore), page.limit);
  }

  async update(
    tenantId: string,
    id: string,
    changes: { name?: string | null; metadata?: Record<string, string> },
  ): Promise<StoredVectorStore> {
    const sets: string[] = [];
    const params: SqlParam[] = [tenantId, id];
    if (changes.name !== undefined) {
      params.push(changes.name);
      sets.push(`name = $${params.length}`);
    }
    if (changes.metadata !== undefined) {
      params.push(JSON.stringify(changes.metadata));
      sets.push(`metadata = $${params.length}::jsonb`);
    }
    sets.push('last_active_at = now()');
    const rows = await this.db.query(
      `UPDATE vector_stores SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      params,
    );
    if (rows.length === 0) throw notFound('vector_store', id);
    return this.get(tenantId, id);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM vector_stores WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [tenantId, id],
    );
    if (rows.length === 0) throw notFound('vector_store', id);
  }

  /** Every vector store of the tenant (file_search without a list searches them all). */
  async allIds(tenantId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>('SELECT id FROM vector_stores WHERE tenant_id = $1', [
      tenantId,
    ]);
    return rows.map((row) => row.id);
  }

  /**
   * Marks the stores as used now. To the minute: a store searched again within
   * one is not written again, so a burst of searches costs no writes.
   */
  async touch(tenantId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE vector_stores SET last_active_at = now()
        WHERE tenant_id = $1 AND id = ANY($2::text[]) AND last_active_at < now() - interval '1 minute'`,
      [tenantId, toTextArray(ids)],
    );
  }

  /** Adds a file (status in_progress); adding it again restarts its ingestion. `chunking` null: the store's. */
  async addFile(
    tenantId: string,
    vectorStoreId: string,
    fileId: string,
    attributes: Attributes,
    chunking: Chunking | null = null,
  ): Promise<StoredVectorStoreFile> {
    const [row] = await this.db.query<FileRow>(
      `INSERT INTO vector_store_files (vector_store_id, file_id, tenant_id, status, attributes, chunking)
       VALUES ($1, $2, $3, 'in_progress', $4::jsonb, $5::jsonb)
       ON CONFLICT (vector_store_id, file_id)
       DO UPDATE SET status = 'in_progress', last_error = NULL, attributes = EXCLUDED.attributes,
         chunking = EXCLUDED.chunking
       RETURNING *`,
      [
        vectorStoreId,
        fileId,
        tenantId,
        JSON.stringify(attributes),
        chunking ? JSON.stringify(chunking) : null,
      ],
    );
    return toFile(row!);
  }

  /**
   * Locks a file's row for the rest of the transaction and says whether it is
   * still to be indexed: a cancel or a removal waits for the lock, so chunks
   * are never written for a file that is no longer in progress.
   */
  async lockInProgress(tenantId: string, vectorStoreId: string, fileId: string): Promise<boolean> {
    const [row] = await this.db.query<{ status: IngestionStatus }>(
      'SELECT status FROM vector_store_files WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3 FOR UPDATE',
      [tenantId, vectorStoreId, fileId],
    );
    return row?.status === 'in_progress';
  }

  async getFile(tenantId: string, vectorStoreId: string, fileId: string): Promise<StoredVectorStoreFile> {
    const [row] = await this.db.query<FileRow>(
      'SELECT * FROM vector_store_files WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3',
      [tenantId, vectorStoreId, fileId],
    );
    if (!row) throw notFound('vector_store_file', fileId);
    return toFile(row);
  }

  async listFiles(
    tenantId: string,
    vectorStoreId: string,
    page: PageQuery,
    status?: IngestionStatus,
  ): Promise<ListPage<StoredVectorStoreFile>> {
    const base: SqlParam[] = [tenantId, vectorStoreId];
    if (status) base.push(status);
    const { where, orderLimit, params } = keysetClause(page, base.length + 1, 'file_id');
    const rows = await this.db.query<FileRow>(
      `SELECT * FROM vector_store_files WHERE tenant_id = $1 AND vector_store_id = $2${status ? ' AND status = $3' : ''}${where}${orderLimit}`,
      [...base, ...params],
    );
    return toListPage(rows.map(toFile), page.limit, (file) => file.fileId);
  }

  async removeFile(tenantId: string, vectorStoreId: string, fileId: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM vector_store_files WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3 RETURNING file_id',
      [tenantId, vectorStoreId, fileId],
    );
    if (rows.length === 0) throw notFound('vector_store_file', fileId);
  }

  /** Records the end of an ingestion, unless the file was removed or re-added meanwhile. */
  async finishFile(
    tenantId: string,
    vectorStoreId: string,
    fileId: string,
    outcome:
      | { status: 'completed'; chunkCount: number; flaggedChunks: number; usageBytes: number }
      | { status: 'failed'; error: { code: string; message: string } },
  ): Promise<void> {
    if (outcome.status === 'completed') {
      await this.db.query(
        `UPDATE vector_store_files SET status = 'completed', last_error = NULL, chunk_count = $4, usage_bytes = $5,
           flagged_chunks = $6
          WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3 AND status = 'in_progress'`,
        [tenantId, vectorStoreId, fileId, outcome.chunkCount, outcome.usageBytes, outcome.flaggedChunks],
      );
    } else {
      await this.db.query(
        `UPDATE vector_store_files SET status = 'failed', last_error = $4::jsonb, chunk_count = 0, usage_bytes = 0,
           flagged_chunks = NULL
          WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = $3 AND status = 'in_progress'`,
        [tenantId, vectorStoreId, fileId, JSON.stringify(outcome.error)],
      );
    }
  }

  /** Every file still being ingested, in every tenant (to resume after a restart). */
  async pending(): Promise<{ tenantId: string; vectorStoreId: string; fileId: string }[]> {
    const rows = await this.db.query<{ tenant_id: string; vector_store_id: string; file_id: string }>(
      "SELECT tenant_id, vector_store_id, file_id FROM vector_store_files WHERE status = 'in_progress' ORDER BY created_at",
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      vectorStoreId: row.vector_store_id,
      fileId: row.file_id,
    }));
  }
}

export function invalidChunking(message: string): AgentdError {
  return new AgentdError('invalid_request', 'invalid_chunking_strategy', message, {
    param: 'chunking_strategy',
  });
}
