import { IdParamSchema, NetworkPolicySchema, NetworkRulesSchema } from '@agentd/spec/wire';
import { auditedWrite } from '../audit/audited-write.js';
import { notFound } from '../errors.js';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';

const tags = ['Network policy'];

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/network_policy',
  tags,
  summary: "Your tenant's network rules for tools, and the server-wide ones",
  permission: 'network_policy:read',
  responses: { 200: jsonContent(NetworkPolicySchema, 'The rules in force.') },
});

const putRoute = defineRoute({
  method: 'put',
  path: '/v1/tenants/{id}/network_policy',
  tags,
  summary: "Set a tenant's network rules (platform admins: an allow rule opens blocked addresses)",
  permission: 'network_policy:write',
  request: { params: IdParamSchema, ...jsonBody(NetworkRulesSchema) },
  responses: { 200: jsonContent(NetworkPolicySchema, 'The rules in force.') },
});

export function networkPolicyRoutes() {
  return newRouter()
    .openapi(getRoute, async (c) => {
      const services = c.get('services');
      const tenant = await services.networkPolicies.rules(tenantOf(c));
      return c.json(present(tenant, services.config), 200);
    })
    .openapi(putRoute, async (c) => {
      const services = c.get('services');
      const { id } = c.req.valid('param');
      if (!(await services.tenants.get(id))) throw notFound('tenant', id);
      const rules = c.req.valid('json');
      // Recorded in the chain of the tenant whose policy changed, where its admins read it.
      const tenant = await auditedWrite(
        c,
        (db) => services.networkPolicies.setRules(id, rules, db),
        (set) => ({
          tenantId: id,
          type: 'network_policy.updated',
          resource: { type: 'tenant', id },
          data: { tenant_id: id, allow: set.allow, deny: set.deny },
        }),
      );
      return c.json(present(tenant, services.config), 200);
    });
}

function present(
  tenant: { allow: string[]; deny: string[] },
  config: { AGENTD_NET_ALLOW: string[]; AGENTD_NET_DENY: string[] },
) {
  return {
    object: 'network_policy' as const,
    tenant,
    server: { allow: config.AGENTD_NET_ALLOW, deny: config.AGENTD_NET_DENY },
  };
}
