import { SafetyPolicySchema, type SafetySetting, SafetySettingSchema } from '@agentd/spec/wire';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import type { Services } from '../services.js';

const tags = ['Safety'];

const getRoute = defineRoute({
  method: 'get',
  path: '/v1/safety_policy',
  tags,
  summary: "Your tenant's default safety setting, and the platform's",
  permission: 'safety_policy:read',
  responses: { 200: jsonContent(SafetyPolicySchema, 'The defaults in force.') },
});

const putRoute = defineRoute({
  method: 'put',
  path: '/v1/safety_policy',
  tags,
  summary: "Set your tenant's default safety setting (its agents' own settings still win)",
  permission: 'safety_policy:write',
  request: jsonBody(SafetySettingSchema),
  responses: { 200: jsonContent(SafetyPolicySchema, 'The defaults in force.') },
});

export function safetyPolicyRoutes() {
  return newRouter()
    .openapi(getRoute, async (c) => {
      const services = c.get('services');
      return c.json(present(services, await services.safetySettings.get(tenantOf(c))), 200);
    })
    .openapi(putRoute, async (c) => {
      const services = c.get('services');
      const setting = await services.safetySettings.set(tenantOf(c), c.req.valid('json'));
      return c.json(present(services, setting), 200);
    });
}

function present(services: Services, tenant: SafetySetting | undefined) {
  return {
    object: 'safety_policy' as const,
    tenant: tenant ?? null,
    platform: services.safety.platform as unknown as Record<string, unknown>,
    judge: services.safety.judged,
  };
}
