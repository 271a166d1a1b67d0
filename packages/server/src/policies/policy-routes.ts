import {
  CreatePolicySchema,
  IdParamSchema,
  listSchema,
  PageQuerySchema,
  PolicySchema,
  PolicySchemaDocument,
  PolicyValidationSchema,
  PolicyVersionSchema,
  ValidatePolicySchema,
} from '@agentd/spec/wire';
import { auditedWrite } from '../audit/audited-write.js';
import { errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { deleted, resourceRoutes } from '../http/resource-routes.js';
import { newRouter } from '../http/router.js';
import { CEDAR_SCHEMA_TEXT } from './cedar-schema.js';
import type { StoredPolicy } from './policy-repository.js';

const tags = ['Policies'];
const INVALID = errorContent('The policy does not parse or validate; the message names the line and column.');

const routes = resourceRoutes({
  path: '/v1/policies',
  tags,
  schema: PolicySchema,
  listName: 'PolicyList',
  read: 'policies:read',
  write: 'policies:write',
  noun: 'policy',
  plural: 'policies',
});

const createPolicy = routes.create({
  summary: 'Create a Cedar policy (validated against the schema)',
  body: CreatePolicySchema,
  description: 'The policy, at version 1; it applies at once.',
  responses: { 400: INVALID, 409: errorContent('A policy with that name exists.') },
});

const validatePolicy = routes.read('post', '/v1/policies/validate', {
  summary: 'Check a Cedar policy against the schema without storing it',
  request: jsonBody(ValidatePolicySchema),
  responses: { 200: jsonContent(PolicyValidationSchema, 'The policy is valid.'), 400: INVALID },
});

const getSchema = routes.read('get', '/v1/policies/schema', {
  summary: "The Cedar schema your tenant's policies are validated against",
  responses: { 200: jsonContent(PolicySchemaDocument, 'The schema.') },
});

const listPolicies = routes.list({ summary: 'List policies' });
const getPolicy = routes.get({ summary: 'Get a policy', description: 'The policy at its latest version.' });
const updatePolicy = routes.update({
  method: 'post',
  summary: 'Replace a policy (creates a new version)',
  body: CreatePolicySchema,
  description: 'The policy at its new version; it applies at once.',
  responses: { 400: INVALID, 409: errorContent('Another policy has that name.') },
});
const deletePolicy = routes.delete({ summary: 'Delete a policy and its versions' });

const listVersions = routes.read('get', '/v1/policies/{id}/versions', {
  summary: "List a policy's versions",
  request: { params: IdParamSchema, query: PageQuerySchema },
  responses: {
    200: jsonContent(
      listSchema(PolicyVersionSchema, 'PolicyVersionList'),
      'A page of versions, newest first.',
    ),
  },
});

/** /v1/policies: a tenant's Cedar policies (README: Policies; ADR-0022). */
export function policyRoutes() {
  return newRouter()
    .openapi(createPolicy, async (c) => {
      const { policies } = c.get('services');
      const policy = await auditedWrite(
        c,
        (db) => policies.in(db).create(tenantOf(c), c.req.valid('json')),
        (created) => policyEvent('policy.created', created),
      );
      policies.invalidate(tenantOf(c));
      return c.json(policy, 200);
    })
    .openapi(validatePolicy, async (c) => {
      const checked = await c.get('services').policies.check(tenantOf(c), c.req.valid('json').policy);
      return c.json({ object: 'policy.validation' as const, valid: true as const, ...checked }, 200);
    })
    .openapi(getSchema, async (c) => {
      const json = await c.get('services').policies.schemaFor(tenantOf(c));
      return c.json({ object: 'policy.schema' as const, cedar: CEDAR_SCHEMA_TEXT, json }, 200);
    })
    .openapi(listPolicies, async (c) => {
      return c.json(await c.get('services').policies.list(tenantOf(c), c.req.valid('query')), 200);
    })
    .openapi(getPolicy, async (c) => {
      return c.json(await c.get('services').policies.get(tenantOf(c), c.req.valid('param').id), 200);
    })
    .openapi(updatePolicy, async (c) => {
      const { id } = c.req.valid('param');
      const { policies } = c.get('services');
      const policy = await auditedWrite(
        c,
        (db) => policies.in(db).update(tenantOf(c), id, c.req.valid('json')),
        (updated) => policyEvent('policy.updated', updated),
      );
      policies.invalidate(tenantOf(c));
      return c.json(policy, 200);
    })
    .openapi(deletePolicy, async (c) => {
      const { id } = c.req.valid('param');
      const { policies } = c.get('services');
      await auditedWrite(
        c,
        (db) => policies.in(db).delete(tenantOf(c), id),
        () => ({ type: 'policy.deleted', resource: { type: 'policy', id }, data: { id } }),
      );
      policies.invalidate(tenantOf(c));
      return c.json(deleted(id, 'policy'), 200);
    })
    .openapi(listVersions, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await c.get('services').policies.versions(tenantOf(c), id, c.req.valid('query')), 200);
    });
}

/** A policy change as the audit log records it: the policy's text and version after the change. */
function policyEvent(type: string, policy: StoredPolicy) {
  return {
    type,
    resource: { type: 'policy', id: policy.id },
    data: {
      id: policy.id,
      name: policy.name,
      version: policy.version,
      effect: policy.effect,
      actions: policy.actions,
      policy: policy.policy,
    },
  };
}
