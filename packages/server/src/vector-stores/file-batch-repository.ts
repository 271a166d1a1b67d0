import type { ListPage, PageQuery } from '@agentd/spec';
import { notFound } from '../errors.js';
import type { Queryable, SqlParam } from '../storage/database.js';
import { keysetClause, toListPage, toUnixSeconds } from '../storage/pagination.js';
import { toTextArray } from './embedding-cache.js';
import {
  type FileCounts,
  type FileRow,
  fileCountsOf,
  type IngestionStatus,
  type StoredVectorStoreFile,
  toFile,
} from './vector-store-repository.js';

export type BatchStatus = 'in_progress' | 'completed' | 'cancelled' | 'failed';

export interface StoredFileBatch {
  id: string;
  vectorStoreId: string;
  createdAt: number;
  status: BatchStatus;
  fileCounts: FileCounts;
}

interface BatchRow {
  id: string;
  vector_store_id: string;
  cancelled_at: Date | null;
  created_at: Date;
  in_progress: string | number | null;
  completed: string | number | null;
  failed: string | number | null;
  cancelled: string | number | null;
}

/** The counts come from the batch's files' rows, so they always agree with them. */
const BATCH_COLUMNS = `b.id, b.vector_store_id, b.cancelled_at, b.created_at,
  count(*) FILTER (WHERE f.status = 'in_progress') AS in_progress,
  count(*) FILTER (WHERE f.status = 'completed') AS completed,
  count(*) FILTER (WHERE f.status = 'failed') AS failed,
  count(*) FILTER (WHERE f.status = 'cancelled') AS cancelled`;

const BATCH_FROM = `vector_store_file_batches b
  LEFT JOIN vector_store_file_batch_files m ON m.batch_id = b.id
  LEFT JOIN vector_store_files f ON f.vector_store_id = m.vector_store_id AND f.file_id = m.file_id`;

/**
 * A batch is in progress while any of its files is; after a cancel it is
 * cancelled; it failed when every file failed; otherwise it completed
 * (OpenAI's rule too: a completed batch may hold failed files).
 */
function statusOf(counts: StoredFileBatch['fileCounts'], cancelled: boolean): BatchStatus {
  if (counts.in_progress > 0) return 'in_progress';
  if (cancelled) return 'cancelled';
  if (counts.total > 0 && counts.failed === counts.total) return 'failed';
  return 'completed';
}

function toBatch(row: BatchRow): StoredFileBatch {
  const fileCounts = fileCountsOf(row);
  return {
    id: row.id,
    vectorStoreId: row.vector_store_id,
    createdAt: toUnixSeconds(row.created_at),
    status: statusOf(fileCounts, row.cancelled_at !== null),
    fileCounts,
  };
}

/** File batches of vector stores, per tenant; their files are rows of vector_store_files. */
export class FileBatchRepository {
  constructor(private readonly db: Queryable) {}

  /** Records a batch of files already added to the store (same transaction). */
  async create(
    tenantId: string,
    batch: { id: string; vectorStoreId: string; fileIds: readonly string[] },
  ): Promise<void> {
    await this.db.query(
      'INSERT INTO vector_store_file_batches (id, tenant_id, vector_store_id) VALUES ($1, $2, $3)',
      [batch.id, tenantId, batch.vectorStoreId],
    );
    await this.db.query(
      `INSERT INTO vector_store_file_batch_files (batch_id, vector_store_id, file_id)
       SELECT $1, $2, unnest($3::text[])`,
      [batch.id, batch.vectorStoreId, toTextArray(batch.fileIds)],
    );
  }

  async get(tenantId: string, vectorStoreId: string, id: string): Promise<StoredFileBatch> {
    const [row] = await this.db.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM ${BATCH_FROM}
        WHERE b.tenant_id = $1 AND b.vector_store_id = $2 AND b.id = $3
        GROUP BY b.id`,
      [tenantId, vectorStoreId, id],
    );
    if (!row) throw notFound('vector_store_file_batch', id);
    return toBatch(row);
  }

  /**
   * Marks the batch cancelled and its files still in progress cancelled, and
   * drops any chunks they had. Waits for an ingestion that is writing one of
   * them (its row lock), which then either finished first or writes nothing.
   */
  async cancel(tenantId: string, vectorStoreId: string, id: string): Promise<void> {
    await this.db.query(
      `UPDATE vector_store_file_batches SET cancelled_at = coalesce(cancelled_at, now())
        WHERE tenant_id = $1 AND vector_store_id = $2 AND id = $3`,
      [tenantId, vectorStoreId, id],
    );
    const cancelled = await this.db.query<{ file_id: string }>(
      `UPDATE vector_store_files f SET status = 'cancelled', last_error = NULL, chunk_count = 0, usage_bytes = 0
         FROM vector_store_file_batch_files m
        WHERE m.batch_id = $3 AND f.vector_store_id = m.vector_store_id AND f.file_id = m.file_id
          AND f.tenant_id = $1 AND f.vector_store_id = $2 AND f.status = 'in_progress'
        RETURNING f.file_id`,
      [tenantId, vectorStoreId, id],
    );
    if (cancelled.length === 0) return;
    await this.db.query(
      'DELETE FROM chunks WHERE tenant_id = $1 AND vector_store_id = $2 AND file_id = ANY($3::text[])',
      [tenantId, vectorStoreId, toTextArray(cancelled.map((row) => row.file_id))],
    );
  }

  /** The batch's files, by file id, optionally only those with one status. */
  async listFiles(
    tenantId: string,
    vectorStoreId: string,
    id: string,
    page: PageQuery,
    status?: IngestionStatus,
  ): Promise<ListPage<StoredVectorStoreFile>> {
    const base: SqlParam[] = [tenantId, vectorStoreId, id];
    if (status) base.push(status);
    const { where, orderLimit, params } = keysetClause(page, base.length + 1, 'f.file_id');
    const rows = await this.db.query<FileRow>(
      `SELECT f.* FROM vector_store_file_batch_files m
         JOIN vector_store_files f ON f.vector_store_id = m.vector_store_id AND f.file_id = m.file_id
        WHERE f.tenant_id = $1 AND m.vector_store_id = $2 AND m.batch_id = $3${status ? ' AND f.status = $4' : ''}${where}${orderLimit}`,
      [...base, ...params],
    );
    return toListPage(rows.map(toFile), page.limit, (file) => file.fileId);
  }
}
