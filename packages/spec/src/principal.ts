/**
 * Who is calling. Every authenticator (API key now; JWT and PASETO later)
 * produces one of these, and routes and policies only ever see this shape.
 */

export type Role = 'platform_admin' | 'admin' | 'member';

export interface Principal {
  tenantId: string;
  /** The credential's subject: an API key id, or a token's `sub`. */
  subject: string;
  /** How the caller authenticated. */
  method: 'api_key';
  role: Role;
}
