import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { agentRoutes } from '../agents/agent-routes.js';
import { apiKeyRoutes } from '../api-keys/api-key-routes.js';
import { auditRoutes } from '../audit/audit-routes.js';
import { chatCompletionRoutes } from '../chat-completions/chat-completion-routes.js';
import { conversationRoutes } from '../conversations/conversation-routes.js';
import { AgentdError } from '../errors.js';
import { fileRoutes, isFileLinkRequest } from '../files/file-routes.js';
import { identityProviderRoutes } from '../identity/identity-provider-routes.js';
import { isOidcLoginRequest, oidcLoginRoutes } from '../identity/oidc-login-routes.js';
import { tokenRoutes } from '../identity/token-routes.js';
import { limitRoutes } from '../limits/limit-routes.js';
import { logRoutes } from '../logging/log-routes.js';
import { mcpRoutes } from '../mcp/mcp-routes.js';
import { memoryRoutes } from '../memories/memory-routes.js';
import { modelRoutes } from '../models/model-routes.js';
import { moderationRoutes } from '../moderations/moderation-routes.js';
import { networkPolicyRoutes } from '../network/network-policy-routes.js';
import { policyRoutes } from '../policies/policy-routes.js';
import { responseRoutes } from '../responses/response-routes.js';
import { safetyPolicyRoutes } from '../safety/safety-policy-routes.js';
import { secretRoutes } from '../secrets/secret-routes.js';
import type { Services } from '../services.js';
import { tenantRoutes } from '../tenants/tenant-routes.js';
import { toolRoutes } from '../tools/tool-routes.js';
import { usageRoutes } from '../usage/usage-routes.js';
import { fileBatchRoutes } from '../vector-stores/file-batch-routes.js';
import { vectorStoreRoutes } from '../vector-stores/vector-store-routes.js';
import { allowedMethods } from './allowed-methods.js';
import type { AppEnv } from './app-env.js';
import { errorResponse, toAgentdError } from './error-response.js';
import { accessLog } from './middleware/access-log/access-log.js';
import { authenticate } from './middleware/auth/authenticate.js';
import { authenticators } from './middleware/auth/authenticators.js';
import { bodyLimit } from './middleware/body-limit/body-limit.js';
import { jsonDepthLimit } from './middleware/json-depth/json-depth.js';
import { rateLimit } from './middleware/rate-limit/rate-limit.js';
import { serviceRoutes } from './service-routes.js';
import { DEFAULT_WEB_DIR, webUiRoutes } from './web-ui.js';

export const API_VERSION = '0.1.0';

/** The whole HTTP API as a Hono app: middleware, every route, the OpenAPI document. */
export function createApp(services: Services): OpenAPIHono<AppEnv> {
  const { config, logger } = services;
  const app = new OpenAPIHono<AppEnv>();

  // The request's server span (tracing on) holds everything below, the access log's line included.
  if (services.tracing) app.use(services.tracing.serverSpans);
  app.use(requestId({ limitLength: 128 }));
  app.use(async (c, next) => {
    c.set('services', services);
    await next();
  });
  app.use(accessLog(logger));
  const limitBody = bodyLimit(config.AGENTD_BODY_LIMIT);
  // File uploads stream to storage under their own limits (AGENTD_FILE_MAX_BYTES and the tenant quota).
  app.use('/v1/*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/v1/files' ? next() : limitBody(c, next),
  );
  const authenticated = authenticate(authenticators(services));
  // A signed file link opens its file without a key; the content route checks the token.
  // A sign-in through the identity provider has no credential yet (oidc-login-routes.ts).
  app.use('/v1/*', (c, next) =>
    isFileLinkRequest(c.req.raw) || isOidcLoginRequest(c.req.raw) ? next() : authenticated(c, next),
  );
  app.use('/v1/*', jsonDepthLimit());
  app.use('/v1/*', rateLimit());
  // The MCP endpoint (README: agentd as an MCP server): the same gateway as the API.
  app.use('/mcp', limitBody, authenticated, jsonDepthLimit(), rateLimit());

  app.route('/', serviceRoutes());
  app.route('/', tenantRoutes());
  app.route('/', apiKeyRoutes());
  app.route('/', identityProviderRoutes());
  app.route('/', tokenRoutes());
  app.route('/', oidcLoginRoutes());
  app.route('/', agentRoutes());
  app.route('/', conversationRoutes());
  app.route('/', responseRoutes());
  app.route('/', toolRoutes());
  app.route('/', secretRoutes());
  app.route('/', fileRoutes());
  app.route('/', vectorStoreRoutes());
  app.route('/', fileBatchRoutes());
  app.route('/', memoryRoutes());
  app.route('/', networkPolicyRoutes());
  app.route('/', safetyPolicyRoutes());
  app.route('/', policyRoutes());
  app.route('/', auditRoutes());
  app.route('/', logRoutes());
  app.route('/', modelRoutes());
  app.route('/', moderationRoutes());
  app.route('/', chatCompletionRoutes());
  app.route('/', webUiRoutes(config.AGENTD_WEB_DIR ?? DEFAULT_WEB_DIR));
  app.route('/', limitRoutes());
  app.route('/', usageRoutes());
  app.route('/', mcpRoutes(API_VERSION));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An agentd API key (sk-agentd-...), an access token (JWT) from your tenant’s identity provider, or a PASETO v4.public session token: Authorization: Bearer <credential>.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'agentd API',
      version: API_VERSION,
      description: 'A self-hosted agent platform. Runs and items follow the OpenAI Responses API.',
    },
  });

  const methodsOf = allowedMethods(app.routes);
  app.notFound((c) => {
    const allowed = methodsOf(c.req.path);
    // A route that answers this method and found nothing (a missing static asset) is a plain 404.
    if (allowed.length === 0 || allowed.includes(c.req.method)) {
      return errorResponse(
        c,
        new AgentdError('not_found', 'route_not_found', `No route for ${c.req.method} ${c.req.path}.`),
      );
    }
    c.header('Allow', allowed.join(', '));
    return errorResponse(
      c,
      new AgentdError(
        'method_not_allowed',
        'method_not_allowed',
        `${c.req.method} is not allowed on ${c.req.path}; it accepts ${allowed.join(', ')}.`,
      ),
    );
  });
  app.onError((error, c) => {
    const agentdError = toAgentdError(error);
    if (agentdError.category === 'internal') {
      (c.get('logger') ?? logger).error({ err: error }, 'unhandled error');
    } else if (agentdError.category === 'integrity') {
      (c.get('logger') ?? logger).error({ err: error, code: agentdError.code }, 'integrity check failed');
    }
    return errorResponse(c, agentdError);
  });
  return app;
}
