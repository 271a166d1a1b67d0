import { CreatedApiKeySchema, MetadataSchema, RoleSchema, TenantSchema } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { actorOf } from '../audit/audit-event.js';
import { errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';

const routes = routeGroup({ tags: ['Tenants'], read: 'self:read', write: 'tenants:write' });

const createTenant = routes.write('post', '/v1/tenants', {
  summary: 'Create a tenant and its first admin key (platform admins only)',
  request: jsonBody(
    z
      .strictObject({
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a name is 1 to 63 lowercase letters, digits, "_" or "-"'),
        metadata: MetadataSchema.optional(),
      })
      .openapi('CreateTenantRequest'),
  ),
  responses: {
    200: jsonContent(
      // An intersection shows it as Tenant plus `api_key` (ADR-0038).
      z.intersection(TenantSchema, z.object({ api_key: CreatedApiKeySchema })).openapi('CreatedTenant'),
      'The tenant, with an admin key for it shown this once.',
    ),
    409: errorContent('A tenant with that name exists.'),
  },
});

const whoami = routes.read('get', '/v1/me', {
  summary: 'Who the credentials belong to',
  responses: {
    200: jsonContent(
      z
        .object({
          object: z.literal('principal'),
          tenant: TenantSchema,
          subject: z.string(),
          method: z.enum(['api_key', 'jwt', 'paseto']),
          role: RoleSchema,
          user: z
            .string()
            .nullable()
            .openapi({ description: 'The end user a token names; null for API keys.' }),
          groups: z.array(z.string()).nullable(),
          scopes: z
            .array(z.string())
            .nullable()
            .openapi({ description: "The credential's scopes; null: the role's full set." }),
        })
        .openapi('Principal'),
      'The caller.',
    ),
  },
});

export function tenantRoutes() {
  return newRouter()
    .openapi(createTenant, async (c) => {
      const { db, tenantsIn, apiKeysIn, audit } = c.get('services');
      const body = c.req.valid('json');
      const principal = principalOf(c);
      const created = await db.transaction(async (tx) => {
        const tenant = await tenantsIn(tx).create(body);
        const apiKey = await apiKeysIn(tx).create(tenant.id, {
          name: 'admin',
          role: 'admin',
          createdBy: principal.subject,
        });
        // The new tenant's chain starts with its creation; the creator's records it too.
        const actor = actorOf(principal);
        const data = { id: tenant.id, name: tenant.name, api_key_id: apiKey.id };
        await audit.record(
          tx,
          [principal.tenantId, tenant.id].map((tenantId) => ({
            tenantId,
            type: 'tenant.created',
            actor,
            resource: { type: 'tenant', id: tenant.id },
            data,
          })),
        );
        return { ...tenant, api_key: apiKey };
      });
      return c.json(created, 200);
    })
    .openapi(whoami, async (c) => {
      const { tenants } = c.get('services');
      const principal = principalOf(c);
      const tenant = await tenants.get(principal.tenantId);
      if (!tenant) throw new Error(`tenant ${principal.tenantId} of an authenticated key is missing`);
      return c.json(
        {
          object: 'principal' as const,
          tenant,
          subject: principal.subject,
          method: principal.method,
          role: principal.role,
          user: principal.userId ?? null,
          groups: principal.groups ? [...principal.groups] : null,
          scopes: principal.scopes ? [...principal.scopes] : null,
        },
        200,
      );
    });
}
