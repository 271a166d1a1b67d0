import { AuthTokenSchema, CreateAuthTokenSchema, scopesWithin } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import { defineRoute, jsonBody, jsonContent } from '../http/define-route.js';
import { principalOf } from '../http/principal.js';
import { newRouter } from '../http/router.js';
import { issueSessionToken } from './session-issue.js';

const issueRoute = defineRoute({
  method: 'post',
  path: '/v1/auth/token',
  tags: ['Authentication'],
  summary: 'Exchange an API key or an identity provider token for a short-lived session token (web UI)',
  permission: 'self:read',
  request: jsonBody(CreateAuthTokenSchema),
  responses: { 200: jsonContent(AuthTokenSchema, 'The token.') },
});

export function tokenRoutes() {
  return newRouter().openapi(issueRoute, async (c) => {
    const { config } = c.get('services');
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
    const token = await issueSessionToken(
      c.get('services'),
      { ...principal, ...(scopes ? { scopes } : {}) },
      ttl,
    );
    return c.json(token, 200);
  });
}
