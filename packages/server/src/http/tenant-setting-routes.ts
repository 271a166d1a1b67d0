import { IdParamSchema, type Permission } from '@agentd/spec/wire';
import type { z } from '@hono/zod-openapi';
import { auditedWrite } from '../audit/audited-write.js';
import { notFound } from '../errors.js';
import type { Services } from '../services.js';
import type { Queryable } from '../storage/database.js';
import { defineRoute, jsonBody, jsonContent } from './define-route.js';
import { tenantOf } from './principal.js';
import { newRouter } from './router.js';

/**
 * The two routes of a setting every tenant has (its limits, its network
 * rules): `GET /v1/<name>` shows the caller's tenant's, and platform admins
 * set a tenant's with `PUT /v1/tenants/{id}/<name>`, the change recorded as
 * `<name>.updated` in the chain of the tenant whose setting changed.
 */
export function tenantSettingRoutes<S extends z.ZodType, B extends z.ZodType, Saved>(setting: {
  name: string;
  tags: string[];
  /** What both routes answer, `description` says what it is. */
  schema: S;
  description: string;
  body: B;
  get: { summary: string; permission: Permission };
  put: { summary: string; permission: Permission };
  show: (services: Services, tenantId: string) => Promise<z.infer<S>>;
  /** Stores the setting in `db`, the transaction its audit event joins. */
  save: (services: Services, tenantId: string, body: z.infer<B>, db: Queryable) => Promise<Saved>;
  /** The audit event's data, from what `save` returned. */
  audit: (tenantId: string, saved: Saved) => Record<string, unknown>;
}) {
  const { name, tags, description } = setting;
  // Declared with the plain schema types: the handlers below give and take the setting's own.
  const schema: z.ZodType = setting.schema;
  const body: z.ZodType = setting.body;
  const getRoute = defineRoute({
    method: 'get',
    path: `/v1/${name}`,
    tags,
    ...setting.get,
    responses: { 200: jsonContent(schema, description) },
  });
  const putRoute = defineRoute({
    method: 'put',
    path: `/v1/tenants/{id}/${name}`,
    tags,
    ...setting.put,
    request: { params: IdParamSchema, ...jsonBody(body) },
    responses: { 200: jsonContent(schema, description) },
  });
  return newRouter()
    .openapi(getRoute, async (c) => c.json(await setting.show(c.get('services'), tenantOf(c)), 200))
    .openapi(putRoute, async (c) => {
      const services = c.get('services');
      const { id } = c.req.valid('param');
      if (!(await services.tenants.get(id))) throw notFound('tenant', id);
      const value = c.req.valid('json') as z.infer<B>;
      await auditedWrite(
        c,
        (db) => setting.save(services, id, value, db),
        (saved) => ({
          tenantId: id,
          type: `${name}.updated`,
          resource: { type: 'tenant', id },
          data: setting.audit(id, saved),
        }),
      );
      return c.json(await setting.show(services, id), 200);
    });
}
