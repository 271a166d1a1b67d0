import { createPolicyFetch, findNetworkPolicyError } from '@agentd/net-policy';
import type { Principal } from '@agentd/spec';
import { decodeJwt } from 'jose';
import { AgentdError } from '../errors.js';
import { jwtAuthenticator } from '../http/middleware/auth/jwt-authenticator.js';
import { providerUnavailable, tokenRefused } from '../http/middleware/auth/token-errors.js';
import type { Services } from '../services.js';
import { jwtCandidates } from './jwt-candidates.js';
import type { PolicedFetch } from './oidc-key-sets.js';

/**
 * Signing in to the web UI through an identity provider: OpenID Connect's
 * authorization code flow with PKCE, where the browser goes to the provider
 * and back, and agentd (not the page) exchanges the code at the provider's
 * token endpoint, through the network policy. The page's
 * Content-Security-Policy keeps `connect-src 'self'`, and the provider's
 * tokens never reach the page's script. The OAuth client is the provider's
 * `audience` (an ID token's `aud` is its client id), so the ID token
 * authenticates exactly as an access token does (ADR-0037).
 */

/** The provider a sign-in goes to: a tenant's own, or the platform-wide one. */
export interface LoginProvider {
  issuer: string;
  clientId: string;
  fetch: PolicedFetch;
  /** The tenant asked for (absent: the platform-wide provider, whose tokens name theirs). */
  tenantId?: string;
}

const notConfigured = () =>
  new AgentdError(
    'not_found',
    'identity_provider_not_found',
    'No identity provider signs in to that tenant (or no such tenant).',
  );

/** The provider for a tenant (by name or id), or without one the platform-wide provider. */
export async function loginProvider(
  services: Services,
  tenantName: string | undefined,
): Promise<LoginProvider> {
  const { config, networkPolicies } = services;
  if (tenantName === undefined || tenantName === '') {
    if (!config.AGENTD_OIDC_ISSUER || !config.AGENTD_OIDC_AUDIENCE) throw notConfigured();
    return {
      issuer: config.AGENTD_OIDC_ISSUER,
      clientId: config.AGENTD_OIDC_AUDIENCE,
      fetch: policed(networkPolicies.base),
    };
  }
  const tenant = (await services.tenants.getByName(tenantName)) ?? (await services.tenants.get(tenantName));
  const provider = tenant ? await services.identityProviders.get(tenant.id) : undefined;
  // A tenant without a provider and no tenant at all look the same from outside.
  if (!tenant || !provider) throw notConfigured();
  return {
    issuer: provider.issuer,
    clientId: provider.audience,
    fetch: policed(await networkPolicies.policyFor(tenant.id)),
    tenantId: tenant.id,
  };
}

const fetches = new Map<string, PolicedFetch>();
function policed(policy: Parameters<typeof createPolicyFetch>[0]['policy']): PolicedFetch {
  let fetch = fetches.get(policy.fingerprint);
  if (!fetch) {
    if (fetches.size >= 100) fetches.clear();
    fetch = createPolicyFetch({ policy, connectTimeoutMs: 5000 });
    fetches.set(policy.fingerprint, fetch);
  }
  return fetch;
}

/** The provider's endpoints, from its discovery document. */
export async function endpointsOf(services: Services, provider: LoginProvider) {
  const discovery = await services.oidcKeys.discovery(provider.issuer, provider.fetch);
  const authorization = urlField(discovery, 'authorization_endpoint', provider.issuer);
  const token = urlField(discovery, 'token_endpoint', provider.issuer);
  return { authorization, token };
}

function urlField(discovery: Record<string, unknown>, field: string, issuer: string): string {
  const value = discovery[field];
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw providerUnavailable(`The discovery document of '${issuer}' has no ${field}.`);
  }
  return value;
}

export interface CodeExchange {
  code: string;
  codeVerifier: string;
  redirectUri: string;
  nonce: string;
}

/**
 * Exchanges an authorization code for the provider's ID token, and
 * authenticates with it: the signature, issuer, audience and expiry as for
 * any JWT, and the nonce the page sent with its authorization request.
 */
export async function signInWithCode(
  services: Services,
  provider: LoginProvider,
  exchange: CodeExchange,
): Promise<Principal> {
  const { token: tokenEndpoint } = await endpointsOf(services, provider);
  const protocol = new URL(tokenEndpoint).protocol;
  if (protocol !== 'https:' && !services.config.AGENTD_OIDC_ALLOW_HTTP) {
    throw providerUnavailable(
      `agentd talks to '${provider.issuer}' only over https (AGENTD_OIDC_ALLOW_HTTP=on allows http).`,
    );
  }
  let response: Response;
  try {
    response = await provider.fetch(tokenEndpoint, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: exchange.code,
        redirect_uri: exchange.redirectUri,
        client_id: provider.clientId,
        code_verifier: exchange.codeVerifier,
      }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const blocked = findNetworkPolicyError(error);
    throw providerUnavailable(
      blocked
        ? `The network policy keeps agentd from the identity provider '${provider.issuer}': ${blocked.message}`
        : `The identity provider '${provider.issuer}' could not be reached: ${(error as Error).message}`,
      error,
    );
  }
  const text = await response.text();
  const body = parseObject(text.length > 512 * 1024 ? '' : text);
  if (!response.ok) {
    // The provider's own words (OAuth's error and description), never the code or the verifier.
    const reason = [body.error, body.error_description]
      .filter((part): part is string => typeof part === 'string')
      .join(': ')
      .slice(0, 300);
    throw new AgentdError(
      'authentication',
      'authorization_code_refused',
      `The identity provider refused the sign-in${reason ? ` (${reason})` : ` (HTTP ${response.status})`}; sign in again.`,
    );
  }
  const idToken = body.id_token;
  if (typeof idToken !== 'string') {
    throw providerUnavailable(
      `The identity provider '${provider.issuer}' answered the code without an id_token.`,
    );
  }
  const principal = await jwtOf(services)(idToken);
  if (!principal) throw tokenRefused('invalid_token', "The provider's ID token is not a JWT.");
  if (provider.tenantId !== undefined && principal.tenantId !== provider.tenantId) {
    throw tokenRefused(
      'tenant_mismatch',
      'The ID token authenticates into another tenant than the one asked for.',
    );
  }
  if (decodeJwt(idToken).nonce !== exchange.nonce) {
    throw tokenRefused('invalid_token', "The ID token's nonce is not the one this sign-in sent.");
  }
  return principal;
}

type Authenticate = ReturnType<typeof jwtAuthenticator>;
const authenticatorsOf = new WeakMap<Services, Authenticate>();

/** The ID token is verified as any JWT bearer token is (the same candidates and keys as authenticators.ts). */
function jwtOf(services: Services): Authenticate {
  let authenticate = authenticatorsOf.get(services);
  if (!authenticate) {
    const { config } = services;
    authenticate = jwtAuthenticator({
      candidates: jwtCandidates({
        providers: services.identityProviders,
        tenants: services.tenants,
        policyFor: (tenantId) => services.networkPolicies.policyFor(tenantId),
        basePolicy: services.networkPolicies.base,
        platform:
          config.AGENTD_OIDC_ISSUER && config.AGENTD_OIDC_AUDIENCE
            ? {
                issuer: config.AGENTD_OIDC_ISSUER,
                audience: config.AGENTD_OIDC_AUDIENCE,
                tenantClaim: config.AGENTD_OIDC_TENANT_CLAIM,
              }
            : undefined,
      }),
      keys: services.oidcKeys,
      clockSkewSeconds: config.AGENTD_TOKEN_CLOCK_SKEW_SECONDS,
    });
    authenticatorsOf.set(services, authenticate);
  }
  return authenticate;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: an empty object, so the caller reports what is missing.
  }
  return {};
}
