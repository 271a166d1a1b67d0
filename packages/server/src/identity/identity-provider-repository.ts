import type { IdentityProvider, PutIdentityProvider } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import type { Queryable } from '../storage/database.js';
import { toUnixSeconds } from '../storage/pagination.js';

interface ProviderRow {
  tenant_id: string;
  issuer: string;
  audience: string;
  claims: IdentityProvider['claims'];
  role_map: IdentityProvider['role_map'];
  default_role: IdentityProvider['default_role'];
  created_at: Date;
  updated_at: Date;
}

/** A provider with the tenant it authenticates into. */
export interface TrustedProvider {
  tenantId: string;
  tenantName: string;
  provider: IdentityProvider;
}

const toProvider = (row: ProviderRow): IdentityProvider => ({
  object: 'identity_provider',
  issuer: row.issuer,
  audience: row.audience,
  claims: row.claims,
  role_map: row.role_map,
  default_role: row.default_role,
  created_at: toUnixSeconds(row.created_at),
  updated_at: toUnixSeconds(row.updated_at),
});

/** How long a process trusts its copy of which tenants trust an issuer (other processes' changes arrive within it). */
const CACHE_MS = 5000;

export interface IdentityProviderCacheOptions {
  /** How long a lookup is trusted; a change another process makes is seen at most this late. */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Each tenant's OpenID Connect provider (one per tenant). A JWT's issuer is
 * looked up once per `cacheMs` (hits and misses alike), not per request; a
 * change made through this repository drops the tenant's entries at once,
 * one made by another process is seen when its entries expire.
 */
export class IdentityProviderRepository {
  private readonly byIssuer = new Map<string, { providers: TrustedProvider[]; until: number }>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Queryable,
    options: IdentityProviderCacheOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? CACHE_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Forgets the lookups that involve `tenantId` or `issuer` (this process
   * changed them). A change written in a caller's transaction calls it again
   * once committed: a lookup in between may have cached the old provider.
   */
  forget(tenantId: string, issuer?: string): void {
    for (const [key, entry] of this.byIssuer) {
      if (key === issuer || entry.providers.some((trusted) => trusted.tenantId === tenantId)) {
        this.byIssuer.delete(key);
      }
    }
  }

  async get(tenantId: string): Promise<IdentityProvider | undefined> {
    const [row] = await this.db.query<ProviderRow>(
      'SELECT * FROM tenant_identity_providers WHERE tenant_id = $1',
      [tenantId],
    );
    return row ? toProvider(row) : undefined;
  }

  /**
   * Sets the tenant's provider; an issuer and audience another tenant has is
   * a 409. `db`: the transaction the change joins (its audit event's).
   */
  async put(
    tenantId: string,
    input: PutIdentityProvider,
    db: Queryable = this.db,
  ): Promise<IdentityProvider> {
    const rows = await db
      .query<ProviderRow>(
        `INSERT INTO tenant_identity_providers (tenant_id, issuer, audience, claims, role_map, default_role)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, audience = EXCLUDED.audience,
         claims = EXCLUDED.claims, role_map = EXCLUDED.role_map, default_role = EXCLUDED.default_role,
         updated_at = now()
       RETURNING *`,
        [
          tenantId,
          input.issuer,
          input.audience,
          JSON.stringify(input.claims),
          JSON.stringify(input.role_map),
          input.default_role,
        ],
      )
      .catch((error: { code?: string }) => {
        if (error.code !== '23505') throw error;
        throw new AgentdError(
          'conflict',
          'identity_provider_taken',
          'Another tenant trusts this issuer with this audience; give your tenant an audience of its own.',
          { param: 'audience' },
        );
      });
    this.forget(tenantId, input.issuer);
    return toProvider(rows[0]!);
  }

  async delete(tenantId: string, db: Queryable = this.db): Promise<boolean> {
    const rows = await db.query(
      'DELETE FROM tenant_identity_providers WHERE tenant_id = $1 RETURNING tenant_id',
      [tenantId],
    );
    this.forget(tenantId);
    return rows.length > 0;
  }

  /** The tenants that trust tokens from this issuer. The one lookup not scoped by tenant: it finds the tenant. */
  async trusting(issuer: string): Promise<TrustedProvider[]> {
    const cached = this.byIssuer.get(issuer);
    if (cached && cached.until > this.now()) return cached.providers;
    const rows = await this.db.query<ProviderRow & { tenant_name: string }>(
      `SELECT p.*, t.name AS tenant_name FROM tenant_identity_providers p
       JOIN tenants t ON t.id = p.tenant_id WHERE p.issuer = $1`,
      [issuer],
    );
    const providers = rows.map((row) => ({
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      provider: toProvider(row),
    }));
    if (this.byIssuer.size >= 1000) this.byIssuer.clear();
    this.byIssuer.set(issuer, { providers, until: this.now() + this.cacheMs });
    return providers;
  }
}
