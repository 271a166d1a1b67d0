import type { ListPage, PageQuery } from '@agentd/spec';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';
import type { VectorColumn } from '../vector-stores/vector-column.js';

export interface StoredMemory {
  id: string;
  user: string;
  text: string;
  cacheKey: string;
  responseId: string | null;
  createdAt: number;
}

interface MemoryRow {
  id: string;
  user_id: string;
  text: string;
  cache_key: string;
  response_id: string | null;
  created_at: Date;
}

const toStored = (row: MemoryRow): StoredMemory => ({
  id: row.id,
  user: row.user_id,
  text: row.text,
  cacheKey: row.cache_key,
  responseId: row.response_id,
  createdAt: toUnixSeconds(row.created_at),
});

const COLUMNS = 'id, user_id, text, cache_key, response_id, created_at';
const memories = tenantTable({ name: 'memories', noun: 'memory', present: toStored, columns: COLUMNS });

/** Long-term memories and users' consent to them, per tenant and user. */
export class MemoryRepository {
  constructor(
    private readonly db: Queryable,
    private readonly vectors: VectorColumn,
    private readonly dims: number,
  ) {}

  /** The same repository on another connection (a transaction). */
  withDb(db: Queryable): MemoryRepository {
    return new MemoryRepository(db, this.vectors, this.dims);
  }

  async consent(tenantId: string, user: string): Promise<boolean> {
    const [row] = await this.db.query<{ enabled: boolean }>(
      'SELECT enabled FROM memory_consents WHERE tenant_id = $1 AND user_id = $2',
      [tenantId, user],
    );
    return row?.enabled ?? false;
  }

  async setConsent(tenantId: string, user: string, enabled: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO memory_consents (tenant_id, user_id, enabled) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET enabled = EXCLUDED.enabled, updated_at = now()`,
      [tenantId, user, enabled],
    );
  }

  async insert(
    tenantId: string,
    memory: Omit<StoredMemory, 'createdAt'> & { embedding: number[] },
  ): Promise<StoredMemory> {
    const [row] = await this.db.query<MemoryRow>(
      `INSERT INTO memories (id, tenant_id, user_id, text, cache_key, dims, response_id, embedding)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${this.vectors.kind === 'pgvector' ? '$8::vector' : '$8::real[]'})
       RETURNING ${COLUMNS}`,
      [
        memory.id,
        tenantId,
        memory.user,
        memory.text,
        memory.cacheKey,
        this.dims,
        memory.responseId,
        this.vectors.literal(memory.embedding),
      ],
    );
    return toStored(row!);
  }

  list(tenantId: string, user: string, page: PageQuery): Promise<ListPage<StoredMemory>> {
    return memories.list(this.db, tenantId, page, { user_id: user });
  }

  delete(tenantId: string, id: string): Promise<StoredMemory> {
    return memories.delete(this.db, tenantId, id);
  }

  async deleteUser(tenantId: string, user: string): Promise<StoredMemory[]> {
    const rows = await this.db.query<MemoryRow>(
      `DELETE FROM memories WHERE tenant_id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [tenantId, user],
    );
    return rows.map(toStored);
  }

  /** The user's memories nearest to a query embedding, with their cosine similarity. */
  async nearest(
    tenantId: string,
    user: string,
    embedding: number[],
    limit: number,
  ): Promise<(StoredMemory & { score: number })[]> {
    const distance = this.vectors.distance('$3', this.dims);
    const rows = await this.db.query<MemoryRow & { similarity: number | string }>(
      `SELECT ${COLUMNS}, ${this.vectors.similarity('$3', this.dims)} AS similarity
         FROM memories
        WHERE tenant_id = $1 AND user_id = $2 AND dims = ${this.dims}
        ORDER BY ${distance} LIMIT $4`,
      [tenantId, user, this.vectors.literal(embedding), limit],
    );
    return rows.map((row) => ({ ...toStored(row), score: Number(row.similarity) }));
  }
}
