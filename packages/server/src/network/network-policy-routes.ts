import { NetworkPolicySchema, NetworkRulesSchema } from '@agentd/spec/wire';
import { tenantSettingRoutes } from '../http/tenant-setting-routes.js';

export function networkPolicyRoutes() {
  return tenantSettingRoutes({
    name: 'network_policy',
    tags: ['Network policy'],
    schema: NetworkPolicySchema,
    description: 'The rules in force.',
    body: NetworkRulesSchema,
    get: {
      summary: "Your tenant's network rules for tools, and the server-wide ones",
      permission: 'network_policy:read',
    },
    put: {
      summary: "Set a tenant's network rules (platform admins: an allow rule opens blocked addresses)",
      permission: 'network_policy:write',
    },
    show: async (services, tenantId) => ({
      object: 'network_policy' as const,
      tenant: await services.networkPolicies.rules(tenantId),
      server: { allow: services.config.AGENTD_NET_ALLOW, deny: services.config.AGENTD_NET_DENY },
    }),
    save: (services, tenantId, rules, db) => services.networkPolicies.setRules(tenantId, rules, db),
    audit: (tenantId, rules) => ({ tenant_id: tenantId, allow: rules.allow, deny: rules.deny }),
  });
}
