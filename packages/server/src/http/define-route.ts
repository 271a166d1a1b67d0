import { ErrorSchema, isAllowed, type Permission, scopesAllow } from '@agentd/spec/wire';
import { createRoute, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AgentdError } from '../errors.js';
import { administeredArea, requireAdminister } from './administer.js';
import type { AppEnv } from './app-env.js';

export const errorContent = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

const STANDARD_ERRORS = {
  400: errorContent('The request is not valid; `error.param` names the field.'),
  401: errorContent('Missing or invalid credentials.'),
  403: errorContent('The credentials do not allow this operation.'),
  413: errorContent('The request body is too large.'),
  415: errorContent('The request body is not JSON.'),
  429: {
    ...errorContent(
      'A rate limit (`rate_limit_exceeded`) or budget (`budget_exceeded`) is reached; the message names it.',
    ),
    headers: rateLimitHeaders(),
  },
};
const NOT_FOUND = { 404: errorContent('No such object in your tenant.') };

/** What a 429 (and, where a limit applies, every answer) carries, as OpenAI sends them. */
function rateLimitHeaders() {
  const header = (description: string) => ({ description, schema: { type: 'string' as const } });
  return {
    'Retry-After': header('Seconds until a retry may succeed.'),
    'x-ratelimit-limit-requests': header('Requests allowed in the tightest window.'),
    'x-ratelimit-remaining-requests': header('Requests left in it.'),
    'x-ratelimit-reset-requests': header('Until it resets, e.g. `1s`, `6m0s`.'),
    'x-ratelimit-limit-tokens': header("The tenant's token budget for the period (model requests)."),
    'x-ratelimit-remaining-tokens': header('Tokens left in it.'),
    'x-ratelimit-reset-tokens': header('Until the period renews.'),
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!principal)
      throw new AgentdError('authentication', 'invalid_api_key', 'Missing or invalid credentials.');
    if (!isAllowed(principal, permission)) {
      throw new AgentdError(
        'permission',
        'permission_denied',
        `This operation needs the '${permission}' permission.`,
      );
    }
    if (!scopesAllow(principal, permission)) {
      throw new AgentdError(
        'permission',
        'insufficient_scope',
        `This operation needs the '${permission}' permission, which the credential's scopes (${principal.scopes?.join(', ') || 'none'}) do not cover.`,
      );
    }
    await next();
  };
}

/**
 * Declares a route once: its schemas, responses and the permission it needs.
 * Validation, the OpenAPI document and the permission check derive from it.
 * `permission: null` marks a public route (no credentials).
 */
export function defineRoute<const R extends RouteConfig>(config: R & { permission: Permission | null }): R {
  const { permission, ...route } = config;
  const secured = permission !== null;
  // A change to an administrative area is also asked of the tenant's policies (`administer`).
  const area = secured ? administeredArea(permission, route.method) : undefined;
  return createRoute({
    ...route,
    responses: {
      ...(secured ? STANDARD_ERRORS : {}),
      ...(route.path.includes('{') ? NOT_FOUND : {}),
      ...route.responses,
    },
    ...(secured
      ? {
          security: [{ bearerAuth: [] }],
          middleware: [requirePermission(permission), ...(area ? [requireAdminister(area)] : [])],
          'x-agentd-permission': permission,
        }
      : {}),
  }) as unknown as R;
}

export function jsonContent<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T>(schema: T) {
  return { body: { content: { 'application/json': { schema } }, required: true } };
}
