import { SecretSchema } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { auditedWrite } from '../audit/audited-write.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';

const tags = ['Secrets'];

// Listing needs secrets:write too: what a tenant keeps is not for every reader to see.
const routes = resourceRoutes({
  path: '/v1/secrets',
  tags,
  schema: SecretSchema,
  listName: 'SecretList',
  read: 'secrets:write',
  write: 'secrets:write',
  noun: 'secret',
});

const putRoute = routes.create({
  summary: 'Store a secret for your tools (replaces one of the same name); the value is never shown again',
  body: z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'a name is 1 to 128 letters, digits, "_", "." or "-"'),
      value: z.string().min(1).max(16_384),
    })
    .openapi('PutSecretRequest'),
  description: 'The secret, without its value.',
});
const listRoute = routes.list({ summary: "List your tenant's secrets (names only)" });
const deleteRoute = routes.delete({ summary: 'Delete a secret' });

export function secretRoutes() {
  return newRouter()
    .openapi(putRoute, async (c) => {
      const { secrets } = c.get('services');
      const body = c.req.valid('json');
      const secret = await auditedWrite(
        c,
        (db) => secrets.in(db).put(tenantOf(c), body.name, body.value),
        // Never the value: which secret, and that it was stored (created or replaced).
        (stored) => ({
          type: 'secret.stored',
          resource: { type: 'secret', id: stored.id },
          data: { id: stored.id, name: stored.name },
        }),
      );
      return c.json(secret, 200);
    })
    .openapi(listRoute, async (c) => {
      const { secrets } = c.get('services');
      return c.json(await secrets.list(tenantOf(c), c.req.valid('query')), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { secrets } = c.get('services');
      const { id } = c.req.valid('param');
      await auditedWrite(
        c,
        (db) => secrets.in(db).delete(tenantOf(c), id),
        () => ({ type: 'secret.deleted', resource: { type: 'secret', id }, data: { id } }),
      );
      return c.json(deleted(id, 'secret.deleted'), 200);
    });
}
