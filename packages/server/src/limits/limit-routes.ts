import { IdParamSchema, type LimitSettings, LimitSettingsSchema, LimitsSchema } from '@agentd/spec/wire';
import { auditedWrite } from '../audit/audited-write.js';
import { notFound } from '../errors.js';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import type { Services } from '../services.js';
import type { EffectiveLimits } from './effective-limits.js';

const tags = ['Limits and budgets'];

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/limits',
  tags,
  summary: "Your tenant's rate limits, tool quotas and budgets",
  permission: 'limits:read',
  responses: { 200: jsonContent(LimitsSchema, 'The limits in force.') },
});

const putRoute = defineRoute({
  method: 'put',
  path: '/v1/tenants/{id}/limits',
  tags,
  summary: "Set a tenant's rate limits, tool quotas and budgets (platform admins)",
  permission: 'limits:write',
  request: { params: IdParamSchema, ...jsonBody(LimitSettingsSchema) },
  responses: { 200: jsonContent(LimitsSchema, 'The limits in force.') },
});

export function limitRoutes() {
  return newRouter()
    .openapi(getRoute, async (c) => c.json(await present(c.get('services'), tenantOf(c)), 200))
    .openapi(putRoute, async (c) => {
      const services = c.get('services');
      const { id } = c.req.valid('param');
      if (!(await services.tenants.get(id))) throw notFound('tenant', id);
      const settings = c.req.valid('json');
      await auditedWrite(
        c,
        (db) => services.limits.tenantLimits.setSettings(id, settings, db),
        (set) => ({
          tenantId: id,
          type: 'limits.updated',
          resource: { type: 'tenant', id },
          data: { tenant_id: id, settings: set },
        }),
      );
      return c.json(await present(services, id), 200);
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
