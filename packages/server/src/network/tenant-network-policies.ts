import { NetworkPolicy } from '@agentd/net-policy';
import { AgentdError } from '../errors.js';
import type { Queryable } from '../storage/database.js';
import { TenantCache } from '../tenants/tenant-cache.js';

export interface TenantNetworkRules {
  allow: string[];
  deny: string[];
}

/** How long a process trusts its copy of a tenant's rules (other processes' changes arrive within it). */
const CACHE_MS = 5000;

/**
 * The network policy each tenant's tools run under: the server-wide rules
 * (AGENTD_NET_ALLOW, AGENTD_NET_DENY) plus the tenant's own, kept in the
 * database. Deny rules win over allow rules, wherever they come from.
 */
export class TenantNetworkPolicies {
  private readonly cache = new TenantCache<NetworkPolicy>(CACHE_MS);

  constructor(
    private readonly db: Queryable,
    readonly base: NetworkPolicy,
  ) {}

  async rules(tenantId: string): Promise<TenantNetworkRules> {
    const [row] = await this.db.query<TenantNetworkRules>(
      'SELECT allow, deny FROM tenant_network_rules WHERE tenant_id = $1',
      [tenantId],
    );
    return row ?? { allow: [], deny: [] };
  }

  /**
   * Replaces the tenant's rules; a rule that does not parse is a 400 naming it.
   * `db`: the transaction the change joins (its audit event's).
   */
  async setRules(
    tenantId: string,
    rules: TenantNetworkRules,
    db: Queryable = this.db,
  ): Promise<TenantNetworkRules> {
    for (const [list, values] of [
      ['allow', rules.allow],
      ['deny', rules.deny],
    ] as const) {
      for (const [index, value] of values.entries()) {
        try {
          new NetworkPolicy({ tenant: { [list]: [value] } });
        } catch (error) {
          throw new AgentdError('invalid_request', 'invalid_network_rule', (error as Error).message, {
            param: `${list}[${index}]`,
          });
        }
      }
    }
    await db.query(
      `INSERT INTO tenant_network_rules (tenant_id, allow, deny) VALUES ($1, $2::jsonb, $3::jsonb)
       ON CONFLICT (tenant_id) DO UPDATE SET allow = EXCLUDED.allow, deny = EXCLUDED.deny, updated_at = now()`,
      [tenantId, JSON.stringify(rules.allow), JSON.stringify(rules.deny)],
    );
    this.cache.forget(tenantId);
    return rules;
  }

  /** The policy for the tenant's tool calls (the server-wide one when it has no rules of its own). */
  async policyFor(tenantId: string): Promise<NetworkPolicy> {
    return this.cache.get(tenantId, async () => {
      const rules = await this.rules(tenantId);
      return rules.allow.length === 0 && rules.deny.length === 0 ? this.base : this.base.forTenant(rules);
    });
  }
}
