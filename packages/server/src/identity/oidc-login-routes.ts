import {
  AuthTokenSchema,
  OidcCodeExchangeSchema,
  OidcLoginProviderSchema,
  OidcLoginQuerySchema,
} from '@agentd/spec/wire';
import { errorContent, jsonBody, jsonContent } from '../http/define-route.js';
import { routeGroup } from '../http/route-group.js';
import { newRouter } from '../http/router.js';
import { endpointsOf, loginProvider, signInWithCode } from './oidc-login.js';
import { issueSessionToken } from './session-issue.js';

const routes = routeGroup({ tags: ['Authentication'], read: null, write: null });
const PATH = '/v1/auth/oidc';

/** The two public routes of a sign-in through an identity provider (no credentials: the user has none yet). */
export function isOidcLoginRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return (
    (request.method === 'GET' && path === PATH) || (request.method === 'POST' && path === `${PATH}/token`)
  );
}

const providerRoute = routes.read('get', PATH, {
  summary: 'Where the web UI sends a person to sign in through an identity provider (public)',
  request: { query: OidcLoginQuerySchema },
  responses: {
    200: jsonContent(OidcLoginProviderSchema, 'The provider and what to send it.'),
    404: errorContent('No identity provider signs in to that tenant (or no such tenant).'),
    503: errorContent('The identity provider could not be reached.'),
  },
});

const exchangeRoute = routes.read('post', `${PATH}/token`, {
  summary: 'Exchange an authorization code from the identity provider for a session token (public)',
  request: jsonBody(OidcCodeExchangeSchema),
  responses: {
    200: jsonContent(AuthTokenSchema, 'A session token for the signed-in person.'),
    400: errorContent('The request is not valid; `error.param` names the field.'),
    401: errorContent('The provider refused the code, or its ID token did not verify.'),
    404: errorContent('No identity provider signs in to that tenant (or no such tenant).'),
    503: errorContent('The identity provider could not be reached.'),
  },
});

export function oidcLoginRoutes() {
  return newRouter()
    .openapi(providerRoute, async (c) => {
      const services = c.get('services');
      const provider = await loginProvider(services, c.req.valid('query').tenant);
      const { authorization } = await endpointsOf(services, provider);
      return c.json(
        {
          object: 'auth.oidc_provider' as const,
          issuer: provider.issuer,
          authorization_endpoint: authorization,
          client_id: provider.clientId,
          scope: 'openid profile',
        },
        200,
      );
    })
    .openapi(exchangeRoute, async (c) => {
      const services = c.get('services');
      const body = c.req.valid('json');
      const provider = await loginProvider(services, body.tenant);
      const principal = await signInWithCode(services, provider, {
        code: body.code,
        codeVerifier: body.code_verifier,
        redirectUri: body.redirect_uri,
        nonce: body.nonce,
      });
      const ttl = services.config.AGENTD_SESSION_TOKEN_TTL_SECONDS;
      return c.json(await issueSessionToken(services, principal, ttl), 200);
    });
}
