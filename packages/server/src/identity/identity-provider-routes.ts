import { IdentityProviderSchema, PutIdentityProviderSchema } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { auditedWrite } from '../audit/audited-write.js';
import { AgentdError } from '../errors.js';
import { errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { tenantOf } from '../http/principal.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';

const routes = routeGroup({
  tags: ['Identity provider'],
  read: 'identity_provider:read',
  write: 'identity_provider:write',
});
const PATH = '/v1/tenant/identity_provider';

const getRoute = routes.read('get', PATH, {
  summary: "Your tenant's OpenID Connect provider",
  responses: {
    200: jsonContent(IdentityProviderSchema, 'The provider whose tokens authenticate into your tenant.'),
    404: errorContent('Your tenant has no identity provider.'),
  },
});

const putRoute = routes.write('put', PATH, {
  summary: "Set your tenant's OpenID Connect provider: issuer, audience and claim mapping",
  request: jsonBody(PutIdentityProviderSchema),
  responses: {
    200: jsonContent(IdentityProviderSchema, 'The provider in force.'),
    409: errorContent('Another tenant trusts the same issuer with the same audience.'),
  },
});

const deleteRoute = routes.write('delete', PATH, {
  summary: "Remove your tenant's identity provider (its tokens stop working)",
  responses: {
    200: jsonContent(
      z.object({ object: z.literal('identity_provider.deleted'), deleted: z.literal(true) }),
      'The provider was removed.',
    ),
    404: errorContent('Your tenant has no identity provider.'),
  },
});

const missing = () =>
  new AgentdError('not_found', 'identity_provider_not_found', 'Your tenant has no identity provider.');

export function identityProviderRoutes() {
  return newRouter()
    .openapi(getRoute, async (c) => {
      const provider = await c.get('services').identityProviders.get(tenantOf(c));
      if (!provider) throw missing();
      return c.json(provider, 200);
    })
    .openapi(putRoute, async (c) => {
      const services = c.get('services');
      const tenantId = tenantOf(c);
      const body = c.req.valid('json');
      const issuer = new URL(body.issuer);
      if (
        issuer.protocol !== 'https:' &&
        !(issuer.protocol === 'http:' && services.config.AGENTD_OIDC_ALLOW_HTTP)
      ) {
        throw new AgentdError(
          'invalid_request',
          'invalid_issuer',
          'The issuer must be an https: URL (AGENTD_OIDC_ALLOW_HTTP=on allows http:).',
          { param: 'issuer' },
        );
      }
      // Its keys are fetched through your tenant's network policy: refuse now what it would refuse then.
      const decision = (await services.networkPolicies.policyFor(tenantId)).checkUrl(issuer);
      if (!decision.allowed) {
        throw new AgentdError(
          'invalid_request',
          'invalid_issuer',
          `The network policy refuses the issuer: ${decision.reason}.`,
          {
            param: 'issuer',
          },
        );
      }
      const providers = services.identityProviders;
      const previous = await providers.get(tenantId);
      const provider = await auditedWrite(
        c,
        (db) => providers.put(tenantId, body, db),
        (set) => ({
          type: 'identity_provider.updated',
          resource: { type: 'identity_provider', id: tenantId },
          data: {
            issuer: set.issuer,
            audience: set.audience,
            claims: set.claims,
            role_map: set.role_map,
            default_role: set.default_role,
            ...(previous ? { previous_issuer: previous.issuer, previous_audience: previous.audience } : {}),
          },
        }),
      );
      providers.forget(tenantId, body.issuer);
      return c.json(provider, 200);
    })
    .openapi(deleteRoute, async (c) => {
      const providers = c.get('services').identityProviders;
      const tenantId = tenantOf(c);
      const previous = await providers.get(tenantId);
      if (!previous) throw missing();
      const deleted = await auditedWrite(
        c,
        (db) => providers.delete(tenantId, db),
        () => ({
          type: 'identity_provider.deleted',
          resource: { type: 'identity_provider', id: tenantId },
          data: { issuer: previous.issuer, audience: previous.audience },
        }),
      );
      providers.forget(tenantId);
      if (!deleted) throw missing();
      return c.json({ object: 'identity_provider.deleted' as const, deleted: true as const }, 200);
    });
}
