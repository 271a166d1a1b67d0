/**
 * Who is calling. Every authenticator (API key, OIDC JWT, PASETO) produces
 * one of these, and routes, policies, limits and the audit log only ever see
 * this shape.
 */

export type Role = 'platform_admin' | 'admin' | 'member';

export interface Principal {
  tenantId: string;
  /** The credential's subject: an API key id, or a token's `sub`. */
  subject: string;
  /** How the caller authenticated. */
  method: 'api_key' | 'jwt' | 'paseto';
  role: Role;
  /** The end user acting, when the credential names one (a token's user claim). */
  userId?: string;
  /** The user's groups (from the identity provider's claims), for policies. */
  groups?: readonly string[];
  /**
   * Scopes the credential is limited to (`responses:write`, `agents:read`, ...);
   * absent means the role's full set.
   */
  scopes?: readonly string[];
}
