import type { LimitSettings } from '@agentd/spec/wire';
import type { Queryable } from '../storage/database.js';
import { TenantCache } from '../tenants/tenant-cache.js';
import { type EffectiveLimits, effectiveLimits } from './effective-limits.js';

/** How long a process trusts its copy of a tenant's limits (other processes' changes arrive within it). */
const CACHE_MS = 5000;

/** Each tenant's limits and budgets (tenant_limits) over the server's defaults (AGENTD_LIMITS). */
export class TenantLimits {
  private readonly cache = new TenantCache<EffectiveLimits>(CACHE_MS);

  constructor(
    private readonly db: Queryable,
    readonly defaults: LimitSettings,
  ) {}

  async settings(tenantId: string): Promise<LimitSettings> {
    const [row] = await this.db.query<{ settings: LimitSettings }>(
      'SELECT settings FROM tenant_limits WHERE tenant_id = $1',
      [tenantId],
    );
    return row?.settings ?? {};
  }

  /** Replaces the tenant's own settings. `db`: the transaction the change joins (its audit event's). */
  async setSettings(
    tenantId: string,
    settings: LimitSettings,
    db: Queryable = this.db,
  ): Promise<LimitSettings> {
    await db.query(
      `INSERT INTO tenant_limits (tenant_id, settings) VALUES ($1, $2::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      [tenantId, JSON.stringify(settings)],
    );
    this.cache.forget(tenantId);
    return settings;
  }

  /** The limits in force for the tenant. */
  async limitsFor(tenantId: string): Promise<EffectiveLimits> {
    return this.cache.get(tenantId, async () =>
      effectiveLimits(this.defaults, await this.settings(tenantId)),
    );
  }
}
