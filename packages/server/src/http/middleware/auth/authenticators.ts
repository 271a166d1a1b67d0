import { jwtCandidates } from '../../../identity/jwt-candidates.js';
import type { Services } from '../../../services.js';
import { apiKeyAuthenticator } from './api-key-authenticator.js';
import type { Authenticator } from './authenticate.js';
import { jwtAuthenticator } from './jwt-authenticator.js';
import { pasetoAuthenticator } from './paseto-authenticator.js';

/** Every way a bearer token authenticates, each recognising its own kind: PASETO, JWT, API key. */
export function authenticators(services: Services): Authenticator[] {
  const { config, logger } = services;
  const platform =
    config.AGENTD_OIDC_ISSUER && config.AGENTD_OIDC_AUDIENCE
      ? {
          issuer: config.AGENTD_OIDC_ISSUER,
          audience: config.AGENTD_OIDC_AUDIENCE,
          tenantClaim: config.AGENTD_OIDC_TENANT_CLAIM,
        }
      : undefined;
  return [
    pasetoAuthenticator(services.sessionTokens),
    jwtAuthenticator({
      candidates: jwtCandidates({
        providers: services.identityProviders,
        tenants: services.tenants,
        policyFor: (tenantId) => services.networkPolicies.policyFor(tenantId),
        basePolicy: services.networkPolicies.base,
        platform,
      }),
      keys: services.oidcKeys,
      clockSkewSeconds: config.AGENTD_TOKEN_CLOCK_SKEW_SECONDS,
    }),
    apiKeyAuthenticator(services.apiKeys, (error) => logger.warn({ err: error }, 'api key touch failed')),
  ];
}
