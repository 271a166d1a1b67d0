import type { DeletedObject, ListPage } from '@agentd/spec';
import type { SecretSchema } from '@agentd/spec/wire';
import type { z } from 'zod';
import { type RequestOptions, seg } from '../core/transport.js';
import { type ListQuery, Resource } from './resource.js';

type Open = { [field: string]: unknown };
type Secret = z.output<typeof SecretSchema>;

/** /v1/secrets: values tools send (as headers); stored sealed, never shown again. */
export class Secrets extends Resource {
  /** Stores a secret, replacing one of the same name. */
  create(params: { name: string; value: string }, options?: RequestOptions): Promise<Secret> {
    return this.post('/v1/secrets', params, options);
  }
  list(query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<Secret>> {
    return this.get('/v1/secrets', query, options);
  }
  del(id: string, options?: RequestOptions): Promise<DeletedObject> {
    return this.delete(`/v1/secrets/${seg(id)}`, undefined, options);
  }
}

/** /v1/limits and /v1/tenants/{id}/limits: rate limits, daily tool quotas, token and cost budgets. */
export class Limits extends Resource {
  /** The limits in force for the caller's tenant. */
  retrieve(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/limits', undefined, options);
  }
  /** Sets a tenant's limits (platform admins). */
  update(tenantId: string, settings: Open, options?: RequestOptions): Promise<Open> {
    return this.put(`/v1/tenants/${seg(tenantId)}/limits`, settings, options);
  }
}

/** The caller: /v1/me, tenants, and the tenant's network and safety settings. */
export class Tenancy extends Resource {
  /** Who the credential is: tenant, role, and for a token its user, groups and scopes. */
  me(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/me', undefined, options);
  }
  /** Creates a tenant and its first admin key (platform admins). */
  createTenant(params: { name: string } & Open, options?: RequestOptions): Promise<Open> {
    return this.post('/v1/tenants', params, options);
  }
  networkPolicy(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/network_policy', undefined, options);
  }
  setNetworkPolicy(tenantId: string, policy: Open, options?: RequestOptions): Promise<Open> {
    return this.put(`/v1/tenants/${seg(tenantId)}/network_policy`, policy, options);
  }
  safetyPolicy(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/safety_policy', undefined, options);
  }
  setSafetyPolicy(policy: Open, options?: RequestOptions): Promise<Open> {
    return this.put('/v1/safety_policy', policy, options);
  }
}
