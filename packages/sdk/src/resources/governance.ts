import type { ListPage } from '@agentd/spec';
import { type RequestOptions, seg } from '../core/transport.js';
import type { AuditEvent, CreatePolicyParams, Policy, PolicyVersion, UsageReport } from '../types.js';
import { Collection, type ListQuery, Resource } from './resource.js';

type Open = { [field: string]: unknown };

/** /v1/policies: the tenant's Cedar policies, versioned. */
export class Policies extends Collection<Policy> {
  protected readonly path = '/v1/policies';

  create(params: CreatePolicyParams, options?: RequestOptions): Promise<Policy> {
    return this.post(this.path, params, options);
  }
  /** Checks a policy against agentd's schema without storing it. */
  validate(params: { policy: string } & Open, options?: RequestOptions): Promise<Open> {
    return this.post('/v1/policies/validate', params, options);
  }
  schema(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/policies/schema', undefined, options);
  }
  /** Replaces the policy as a new version. */
  update(id: string, params: CreatePolicyParams, options?: RequestOptions): Promise<Policy> {
    return this.post(this.pathOf(id), params, options);
  }
  versions(id: string, query: ListQuery = {}, options?: RequestOptions): Promise<ListPage<PolicyVersion>> {
    return this.get(`/v1/policies/${seg(id)}/versions`, query, options);
  }
}

/** /v1/usage: tokens, cost, runs and calls per group. */
export class Usage extends Resource {
  retrieve(
    query: { start_time?: number; end_time?: number; group_by?: string; tenant_id?: string } = {},
    options?: RequestOptions,
  ): Promise<UsageReport> {
    return this.get('/v1/usage', query, options);
  }
}

/** /v1/audit_events: the tenant's append-only, hash-chained audit log. */
export class AuditEvents extends Resource {
  list(query: ListQuery & Open = {}, options?: RequestOptions): Promise<ListPage<AuditEvent>> {
    return this.get('/v1/audit_events', query, options);
  }
  /** The log as JSON Lines, as a fetch Response to stream. */
  export(query: Open = {}, options: RequestOptions = {}): Promise<Response> {
    return this.transport.send({
      ...options,
      method: 'GET',
      path: '/v1/audit_events/export',
      query: query as never,
    });
  }
  verify(options?: RequestOptions): Promise<Open> {
    return this.get('/v1/audit_events/verify', undefined, options);
  }
}
