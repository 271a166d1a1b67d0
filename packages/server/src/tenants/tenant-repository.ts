import { AgentdError } from '../errors.js';
import { newId } from '../ids.js';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';

export const DEFAULT_TENANT_ID = 'tenant_default';

export interface Tenant {
  id: string;
  object: 'tenant';
  name: string;
  metadata: Record<string, string>;
  created_at: number;
}

interface TenantRow {
  id: string;
  name: string;
  metadata: Record<string, string>;
  created_at: Date;
}

const toTenant = (row: TenantRow): Tenant => ({
  id: row.id,
  object: 'tenant',
  name: row.name,
  metadata: row.metadata,
  created_at: toUnixSeconds(row.created_at),
});

export class TenantRepository {
  constructor(private readonly db: Queryable) {}

  async create(
    input: { name: string; metadata?: Record<string, string> | undefined },
    id = newId('tenant'),
  ): Promise<Tenant> {
    const rows = await this.db.query<TenantRow>(
      `INSERT INTO tenants (id, name, metadata) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (name) DO NOTHING RETURNING *`,
      [id, input.name, JSON.stringify(input.metadata ?? {})],
    );
    const row = rows[0];
    if (!row) {
      throw new AgentdError('conflict', 'tenant_exists', `A tenant named '${input.name}' already exists.`, {
        param: 'name',
      });
    }
    return toTenant(row);
  }

  /** Creates the default tenant unless it exists; safe when several processes race. */
  async ensureDefault(): Promise<void> {
    await this.db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'default') ON CONFLICT DO NOTHING`, [
      DEFAULT_TENANT_ID,
    ]);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const [row] = await this.db.query<TenantRow>('SELECT * FROM tenants WHERE id = $1', [id]);
    return row ? toTenant(row) : undefined;
  }

  async getByName(name: string): Promise<Tenant | undefined> {
    const [row] = await this.db.query<TenantRow>('SELECT * FROM tenants WHERE name = $1', [name]);
    return row ? toTenant(row) : undefined;
  }
}
