import type { SafetySetting } from '@agentd/spec/wire';
import type { Queryable } from '../storage/database.js';
import type { TenantSafetyDefaults } from './run-safety.js';

/** How long a process trusts its copy of a tenant's setting (other processes' changes arrive within it). */
const CACHE_MS = 5000;

/** Each tenant's default safety setting, kept in the database; its agents' settings apply over it. */
export class TenantSafetySettings implements TenantSafetyDefaults {
  private readonly cache = new Map<string, { setting: SafetySetting | undefined; until: number }>();

  constructor(private readonly db: Queryable) {}

  async get(tenantId: string): Promise<SafetySetting | undefined> {
    const [row] = await this.db.query<{ setting: SafetySetting }>(
      'SELECT setting FROM tenant_safety_settings WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.setting;
  }

  /** Replaces the tenant's setting; `{}` leaves every field to the platform's default. */
  async set(tenantId: string, setting: SafetySetting): Promise<SafetySetting> {
    await this.db.query(
      `INSERT INTO tenant_safety_settings (tenant_id, setting) VALUES ($1, $2::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET setting = EXCLUDED.setting, updated_at = now()`,
      [tenantId, JSON.stringify(setting)],
    );
    this.cache.delete(tenantId);
    return setting;
  }

  async defaultsFor(tenantId: string): Promise<SafetySetting | undefined> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.until > Date.now()) return cached.setting;
    const setting = await this.get(tenantId);
    this.cache.set(tenantId, { setting, until: Date.now() + CACHE_MS });
    return setting;
  }
}
