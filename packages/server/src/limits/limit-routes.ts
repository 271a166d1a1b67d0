import { type LimitSettings, LimitSettingsSchema, LimitsSchema } from '@agentd/spec/wire';
import { tenantSettingRoutes } from '../http/tenant-setting-routes.js';
import type { Services } from '../services.js';
import type { EffectiveLimits } from './effective-limits.js';

export function limitRoutes() {
  return tenantSettingRoutes({
    name: 'limits',
    tags: ['Limits and budgets'],
    schema: LimitsSchema,
    description: 'The limits in force.',
    body: LimitSettingsSchema,
    get: { summary: "Your tenant's rate limits, tool quotas and budgets", permission: 'limits:read' },
    put: {
      summary: "Set a tenant's rate limits, tool quotas and budgets (platform admins)",
      permission: 'limits:write',
    },
    show: present,
    save: (services, tenantId, settings, db) =>
      services.limits.tenantLimits.setSettings(tenantId, settings, db),
    audit: (tenantId, settings) => ({ tenant_id: tenantId, settings }),
  });
}

async function present(services: Services, tenantId: string) {
  const { tenantLimits } = services.limits;
  return {
    object: 'limits' as const,
    tenant: await tenantLimits.settings(tenantId),
    server: tenantLimits.defaults,
    effective: asSettings(await tenantLimits.limitsFor(tenantId)),
  };
}

function asSettings(limits: EffectiveLimits): LimitSettings {
  return { rate_limits: limits.rateLimits, tool_quotas: limits.toolQuotas, budgets: limits.budgets };
}
