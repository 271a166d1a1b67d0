import { keepSessionToken, SignInError } from './credentials.js';

/**
 * Signing in through the identity provider (OpenID Connect, authorization
 * code with PKCE). The page sends the browser to the provider and, when it
 * comes back to /sign-in with a code, hands the code and its PKCE verifier
 * to agentd, which exchanges them at the provider and answers a session
 * token (POST /v1/auth/oidc/token). The page never talks to the provider
 * (its CSP allows only its own origin) and never holds the provider's
 * tokens; only agentd's short-lived session token is kept, in
 * sessionStorage, as after an API key sign-in.
 */

/** Where a tenant's people sign in (GET /v1/auth/oidc). */
export interface OidcProvider {
  issuer: string;
  authorization_endpoint: string;
  client_id: string;
  scope: string;
}

/** The sign-in under way: kept for the trip to the provider and back (this tab only). */
interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  tenant: string | null;
  redirectUri: string;
}

const PENDING = 'agentd.oidc.pending';
/** The organisation last signed in to (not a secret), so the button is there next time. */
const LAST_TENANT = 'agentd.oidc.tenant';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (size: number) => base64url(crypto.getRandomValues(new Uint8Array(size)));

async function errorOf(response: Response): Promise<SignInError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
  return new SignInError(response.status, body.error?.message ?? `HTTP ${response.status}`);
}

/** The provider of a tenant (by name), or the platform's without one; null when there is none. */
export async function findProvider(tenant: string | null): Promise<OidcProvider | null> {
  const query = tenant ? `?${new URLSearchParams({ tenant })}` : '';
  const response = await fetch(`/v1/auth/oidc${query}`);
  if (response.status === 404) return null;
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as OidcProvider;
}

/** The organisation to offer: `?tenant=` in the address, else the one last signed in to. */
export function tenantToOffer(): string | null {
  return new URLSearchParams(location.search).get('tenant') ?? localStorage.getItem(LAST_TENANT);
}

/** Sends the browser to the provider; it comes back to /sign-in with a code. */
export async function goToProvider(provider: OidcProvider, tenant: string | null): Promise<void> {
  const pending: Pending = {
    verifier: random(32),
    state: random(16),
    nonce: random(16),
    tenant,
    redirectUri: `${location.origin}/sign-in`,
  };
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier));
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  if (tenant) localStorage.setItem(LAST_TENANT, tenant);
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: provider.client_id,
    redirect_uri: pending.redirectUri,
    scope: provider.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Whether this page load is the provider sending the browser back. */
export function isProviderReturn(): boolean {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/**
 * Finishes a sign-in the provider sent the browser back from: checks the
 * state, has agentd exchange the code, keeps the session token. The code
 * leaves the address bar at once. Throws what went wrong, in words.
 */
export async function finishSignIn(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const text = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', '/sign-in');
  const refused = params.get('error');
  if (refused) {
    throw new Error(
      `The identity provider did not sign you in: ${params.get('error_description') ?? refused}.`,
    );
  }
  const pending = text ? (JSON.parse(text) as Pending) : null;
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('This sign-in was not started in this tab (or was already used); sign in again.');
  }
  const response = await fetch('/v1/auth/oidc/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(pending.tenant ? { tenant: pending.tenant } : {}),
      code: params.get('code'),
      code_verifier: pending.verifier,
      redirect_uri: pending.redirectUri,
      nonce: pending.nonce,
    }),
  });
  if (!response.ok) throw await errorOf(response);
  const token = (await response.json()) as { token: string; expires_at: number };
  keepSessionToken(token.token, token.expires_at);
}
