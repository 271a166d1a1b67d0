import type { ListPage, PageQuery } from '@agentd/spec';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  contentType: string | null;
  sha256: string;
  objectKey: string;
  responseId: string | null;
  createdAt: number;
}

interface FileRow {
  id: string;
  filename: string;
  purpose: string;
  bytes: string | number;
  content_type: string | null;
  sha256: string;
  object_key: string;
  response_id: string | null;
  created_at: Date;
}

const toStored = (row: FileRow): StoredFile => ({
  id: row.id,
  filename: row.filename,
  purpose: row.purpose,
  bytes: Number(row.bytes),
  contentType: row.content_type,
  sha256: row.sha256,
  objectKey: row.object_key,
  responseId: row.response_id,
  createdAt: toUnixSeconds(row.created_at),
});

/** File rows, per tenant; the bytes are in the object store under `object_key`. */
const files = tenantTable({ name: 'files', noun: 'file', present: toStored });

export class FileRepository {
  constructor(private readonly db: Queryable) {}

  async insert(tenantId: string, file: Omit<StoredFile, 'createdAt'>): Promise<StoredFile> {
    const [row] = await this.db.query<FileRow>(
      `INSERT INTO files (id, tenant_id, filename, purpose, bytes, content_type, sha256, object_key, response_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        file.id,
        tenantId,
        file.filename,
        file.purpose,
        file.bytes,
        file.contentType,
        file.sha256,
        file.objectKey,
        file.responseId,
      ],
    );
    return toStored(row!);
  }

  get(tenantId: string, id: string): Promise<StoredFile> {
    return files.get(this.db, tenantId, id);
  }

  list(tenantId: string, page: PageQuery, purpose?: string): Promise<ListPage<StoredFile>> {
    return files.list(this.db, tenantId, page, { purpose });
  }

  /** Deletes the row (vector store files and chunks cascade); returns it, or throws not found. */
  delete(tenantId: string, id: string): Promise<StoredFile> {
    return files.delete(this.db, tenantId, id);
  }

  /** Bytes the tenant stores, plus bytes reserved by uploads in flight. */
  async usage(tenantId: string): Promise<number> {
    const [row] = await this.db.query<{ used: string | number }>(
      `SELECT (SELECT coalesce(sum(bytes), 0) FROM files WHERE tenant_id = $1)
            + (SELECT coalesce(sum(bytes), 0) FROM file_upload_reservations WHERE tenant_id = $1 AND expires_at > now())
              AS used`,
      [tenantId],
    );
    return Number(row?.used ?? 0);
  }

  /** Serialises quota decisions for one tenant until the transaction ends. */
  async lockQuota(tenantId: string): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`agentd-quota:${tenantId}`]);
  }

  /** Holds `bytes` of the tenant's quota for an upload in flight (call under lockQuota). */
  async reserve(tenantId: string, reservationId: string, bytes: number, ttlSeconds: number): Promise<void> {
    await this.db.query(
      `INSERT INTO file_upload_reservations (id, tenant_id, bytes, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [reservationId, tenantId, bytes, ttlSeconds],
    );
  }

  async release(reservationId: string): Promise<void> {
    await this.db.query('DELETE FROM file_upload_reservations WHERE id = $1 OR expires_at < now()', [
      reservationId,
    ]);
  }
}
