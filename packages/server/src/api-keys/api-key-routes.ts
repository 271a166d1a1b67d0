import type { Role } from '@agentd/spec';
import {
  ApiKeySchema,
  CreateApiKeySchema,
  CreatedApiKeySchema,
  ROLE_RANK,
  scopesWithin,
} from '@agentd/spec/wire';
import { auditedWrite } from '../audit/audited-write.js';
import { AgentdError } from '../errors.js';
import { principalOf, tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';

const tags = ['API keys'];

const routes = resourceRoutes({
  path: '/v1/api_keys',
  tags,
  schema: ApiKeySchema,
  listName: 'ApiKeyList',
  read: 'api_keys:manage',
  write: 'api_keys:manage',
  noun: 'key',
});

const createKey = routes.create({
  summary: 'Create an API key in your tenant',
  body: CreateApiKeySchema,
  answer: CreatedApiKeySchema,
  description: 'The key, with its secret shown this once.',
});
const listKeys = routes.list({
  summary: "List your tenant's API keys",
  description: 'A page of keys, secrets redacted.',
});
const getKey = routes.get({ summary: 'Get an API key', description: 'The key, secret redacted.' });
const deleteKey = routes.delete({ summary: 'Revoke an API key', description: 'The key was revoked.' });

/** A key creates and revokes only keys of its own role or a lower one. */
function refuseHigherRole(own: Role, other: Role, action: 'create' | 'revoke', param: string): void {
  if (ROLE_RANK[other] > ROLE_RANK[own]) {
    throw new AgentdError('permission', 'role_too_high', `A ${own} key cannot ${action} a ${other} key.`, {
      param,
    });
  }
}

export function apiKeyRoutes() {
  return newRouter()
    .openapi(createKey, async (c) => {
      const { apiKeysIn } = c.get('services');
      const principal = principalOf(c);
      const body = c.req.valid('json');
      refuseHigherRole(principal.role, body.role, 'create', 'role');
      // A scoped credential cannot mint a key that may do more than itself.
      const scopes = body.scopes ?? principal.scopes?.slice();
      if (scopes !== undefined && !scopesWithin(scopes, principal.scopes)) {
        throw new AgentdError(
          'permission',
          'scope_too_broad',
          `This credential's scopes (${principal.scopes?.join(', ')}) do not cover the scopes asked for.`,
          { param: 'scopes' },
        );
      }
      const created = await auditedWrite(
        c,
        (db) => apiKeysIn(db).create(principal.tenantId, { ...body, scopes, createdBy: principal.subject }),
        (key) => ({
          type: 'api_key.created',
          resource: { type: 'api_key', id: key.id },
          data: { id: key.id, name: key.name, role: key.role, scopes: scopes ?? null },
        }),
      );
      return c.json(created, 200);
    })
    .openapi(listKeys, async (c) => {
      const { apiKeys } = c.get('services');
      return c.json(await apiKeys.list(tenantOf(c), c.req.valid('query')), 200);
    })
    .openapi(getKey, async (c) => {
      const { apiKeys } = c.get('services');
      return c.json(await apiKeys.get(tenantOf(c), c.req.valid('param').id), 200);
    })
    .openapi(deleteKey, async (c) => {
      const { apiKeys, apiKeysIn } = c.get('services');
      const { id } = c.req.valid('param');
      const principal = principalOf(c);
      const target = await apiKeys.get(principal.tenantId, id);
      refuseHigherRole(principal.role, target.role, 'revoke', 'id');
      await auditedWrite(
        c,
        (db) => apiKeysIn(db).delete(principal.tenantId, id),
        () => ({
          type: 'api_key.deleted',
          resource: { type: 'api_key', id },
          data: { id, name: target.name, role: target.role },
        }),
      );
      // Deleted through the transaction's repository: this process's cache must forget the key too.
      apiKeys.forget(id);
      return c.json(deleted(id, 'api_key.deleted'), 200);
    });
}
