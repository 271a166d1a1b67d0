import type { ListPage, PageQuery, ToolManifest } from '@agentd/spec';
import { AgentdError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';
import { tenantTable } from '../tenants/tenant-table.js';

export interface StoredTool {
  id: string;
  name: string;
  manifest: ToolManifest;
  created_at: number;
  updated_at: number;
}

interface ToolRow {
  id: string;
  name: string;
  manifest: ToolManifest;
  created_at: Date;
  updated_at: Date;
}

const toStored = (row: ToolRow): StoredTool => ({
  id: row.id,
  name: row.name,
  manifest: row.manifest,
  created_at: toUnixSeconds(row.created_at),
  updated_at: toUnixSeconds(row.updated_at),
});

const tools = tenantTable({ name: 'tools', noun: 'tool', present: toStored });

const nameTaken = (name: string) =>
  new AgentdError('conflict', 'tool_name_taken', `A tool named '${name}' already exists.`, { param: 'name' });
const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Tools registered through the API, per tenant. */
export class ToolRepository {
  constructor(private readonly db: Queryable) {}

  async create(tenantId: string, manifest: ToolManifest): Promise<StoredTool> {
    try {
      const [row] = await this.db.query<ToolRow>(
        'INSERT INTO tools (id, tenant_id, name, manifest) VALUES ($1, $2, $3, $4::jsonb) RETURNING *',
        [newId('tool'), tenantId, manifest.name, JSON.stringify(manifest)],
      );
      return toStored(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(manifest.name);
      throw error;
    }
  }

  get(tenantId: string, id: string): Promise<StoredTool> {
    return tools.get(this.db, tenantId, id);
  }

  async all(tenantId: string): Promise<StoredTool[]> {
    const rows = await this.db.query<ToolRow>('SELECT * FROM tools WHERE tenant_id = $1 ORDER BY id', [
      tenantId,
    ]);
    return rows.map(toStored);
  }

  list(tenantId: string, page: PageQuery): Promise<ListPage<StoredTool>> {
    return tools.list(this.db, tenantId, page);
  }

  async update(tenantId: string, id: string, manifest: ToolManifest): Promise<StoredTool> {
    try {
      const [row] = await this.db.query<ToolRow>(
        `UPDATE tools SET name = $3, manifest = $4::jsonb, updated_at = clock_timestamp()
         WHERE tenant_id = $1 AND id = $2 RETURNING *`,
        [tenantId, id, manifest.name, JSON.stringify(manifest)],
      );
      if (!row) throw notFound('tool', id);
      return toStored(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(manifest.name);
      throw error;
    }
  }

  delete(tenantId: string, id: string): Promise<StoredTool> {
    return tools.delete(this.db, tenantId, id);
  }
}
