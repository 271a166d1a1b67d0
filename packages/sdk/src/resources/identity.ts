import type { RequestOptions } from '../core/transport.js';
import { Resource } from './resource.js';

type Open = { [field: string]: unknown };

/** A short-lived session token (PASETO v4.public): send it as the API key. */
export interface SessionToken {
  object: 'auth.token';
  token: string;
  token_type: 'bearer';
  /** Unix seconds. */
  expires_at: number;
  expires_in: number;
  tenant_id: string;
  role: string;
  /** null: the role's full set. */
  scopes: string[] | null;
}

/** The tenant's OpenID Connect provider, whose tokens agentd accepts. */
export interface IdentityProvider extends Open {
  object: 'identity_provider';
  issuer: string;
  audience: string;
  claims: { user: string; roles: string; groups: string; scopes: string; tenant: string | null };
  role_map: Record<string, string>;
  default_role: string | null;
}

/** Credentials: session tokens (/v1/auth/token) and the tenant's identity provider. */
export class Identity extends Resource {
  /**
   * Exchanges this client's credential (an API key or a provider's token)
   * for a session token, valid `expires_in` seconds (60 to 86 400), with at
   * most the credential's scopes.
   */
  createToken(
    params: { expires_in?: number; scopes?: string[] } = {},
    options?: RequestOptions,
  ): Promise<SessionToken> {
    return this.post('/v1/auth/token', params, options);
  }
  /** The tenant's provider (404 `NotFoundError` when none is set). */
  provider(options?: RequestOptions): Promise<IdentityProvider> {
    return this.get('/v1/tenant/identity_provider', undefined, options);
  }
  /** Sets the tenant's provider: issuer, audience, claim mapping, roles. */
  setProvider(
    params: { issuer: string; audience: string } & Open,
    options?: RequestOptions,
  ): Promise<IdentityProvider> {
    return this.put('/v1/tenant/identity_provider', params, options);
  }
  /** Removes the tenant's provider: its tokens stop working. */
  deleteProvider(options?: RequestOptions): Promise<{ object: 'identity_provider.deleted'; deleted: true }> {
    return this.delete('/v1/tenant/identity_provider', undefined, options);
  }
}
