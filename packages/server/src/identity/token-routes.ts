import { ScopesSchema, scopesWithin } from '@agentd/spec/wire';
import { z } from '@hono/zod-openapi';
import { actorOf } from '../audit/audit-event.js';
import { AgentdError } from '../errors.js';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';

const TokenSchema = z
  .object({
    object: z.literal('auth.token'),
    token: z
      .string()
      .openapi({ description: 'A PASETO v4.public token: send it as Authorization: Bearer <token>.' }),
    token_type: z.literal('bearer'),
    expires_at: z.number().int().openapi({ description: 'Unix seconds.' }),
    expires_in: z.number().int(),
    tenant_id: z.string(),
    role: z.string(),
    scopes: z.array(z.string()).nullable().openapi({ description: "null: the role's full set." }),
  })
  .openapi('AuthToken');

const issueRoute = defineRoute({
  method: 'post',
  path: '/v1/auth/token',
  tags: ['Authentication'],
  summary: 'Exchange an API key or an identity provider token for a short-lived session token (web UI)',
  permission: 'self:read',
  request: jsonBody(
    z
      .strictObject({
        expires_in: z.number().int().min(60).max(86_400).optional().openapi({
          description: 'Lifetime in seconds; default and maximum AGENTD_SESSION_TOKEN_TTL_SECONDS.',
        }),
        scopes: ScopesSchema.optional().openapi({
          description: "Narrow the token to these scopes; they must be within the credential's own.",
        }),
      })
      .openapi('CreateAuthTokenRequest'),
  ),
  responses: { 200: jsonContent(TokenSchema, 'The token.') },
});

export function tokenRoutes() {
  return newRouter().openapi(issueRoute, async (c) => {
    const { sessionTokens, config, audit } = c.get('services');
    const principal = principalOf(c);
    const body = c.req.valid('json');
    if (principal.method === 'paseto') {
      throw new AgentdError(
        'permission',
        'token_exchange_not_allowed',
        'A session token cannot be exchanged for another; sign in again with an API key or an identity provider token.',
      );
    }
    const maxTtl = config.AGENTD_SESSION_TOKEN_TTL_SECONDS;
    const ttl = body.expires_in ?? maxTtl;
    if (ttl > maxTtl) {
      throw new AgentdError(
        'invalid_request',
        'invalid_expires_in',
        `expires_in may be at most ${maxTtl} seconds (AGENTD_SESSION_TOKEN_TTL_SECONDS).`,
        { param: 'expires_in' },
      );
    }
    if (body.scopes && !scopesWithin(body.scopes, principal.scopes)) {
      throw new AgentdError(
        'permission',
        'scope_too_broad',
        `The credential's scopes (${principal.scopes?.join(', ')}) do not cover the scopes asked for.`,
        { param: 'scopes' },
      );
    }
    const scopes = body.scopes ?? principal.scopes;
    const issued = await sessionTokens.issue({ ...principal, ...(scopes ? { scopes } : {}) }, ttl);
    // A sign-in: the token is only handed out once the audit log holds it.
    await audit.append({
      tenantId: principal.tenantId,
      type: 'login.succeeded',
      actor: actorOf(principal),
      data: {
        token_type: 'paseto',
        expires_at: issued.expiresAt,
        role: principal.role,
        scopes: scopes ?? null,
      },
    });
    return c.json(
      {
        object: 'auth.token' as const,
        token: issued.token,
        token_type: 'bearer' as const,
        expires_at: issued.expiresAt,
        expires_in: ttl,
        tenant_id: principal.tenantId,
        role: principal.role,
        scopes: scopes ? [...scopes] : null,
      },
      200,
    );
  });
}
