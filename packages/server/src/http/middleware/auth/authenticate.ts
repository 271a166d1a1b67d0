import type { Principal } from '@agentd/spec';
import type { MiddlewareHandler } from 'hono';
import { AgentdError } from '../../../errors.js';
import type { AppEnv } from '../../app-env.js';
import { auditRefusedLogin, type CredentialKind, type RefusalListener } from './refused-login-audit.js';
import { TokenRefusedError } from './token-errors.js';

/**
 * Turns a bearer token into a principal, or says it is not one of its kind
 * (undefined) so the next authenticator may try; one that recognises its kind
 * and refuses it throws the 401 naming why (see token-errors.ts).
 */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

/** What kind of credential a bearer token looks like (anything else is tried as an API key). */
export function credentialKindOf(token: string): CredentialKind {
  if (/^v\d\.(local|public)\./.test(token)) return 'paseto';
  if (token.split('.').length === 3) return 'jwt';
  return 'api_key';
}

const unauthorized = () =>
  new AgentdError(
    'authentication',
    'invalid_api_key',
    'Missing or invalid credentials. Send Authorization: Bearer <api key or token>.',
  );

/**
 * `onRefused` hears of every credential presented and refused (by default
 * the services' audit of refused logins); a request without one is refused
 * without it: that is no login attempt.
 */
export function authenticate(
  authenticators: Authenticator[],
  onRefused: RefusalListener = auditRefusedLogin,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token) throw unauthorized();
    let principal: Principal | undefined;
    try {
      for (const authenticator of authenticators) {
        principal = await authenticator(token);
        if (principal) break;
      }
    } catch (error) {
      if (error instanceof TokenRefusedError) {
        await onRefused(c, {
          credential: credentialKindOf(token),
          code: error.code,
          message: error.message,
          ...(error.tenantId === undefined ? {} : { tenantId: error.tenantId }),
        });
      }
      throw error;
    }
    if (!principal) {
      const refusal = unauthorized();
      await onRefused(c, {
        credential: credentialKindOf(token),
        code: refusal.code,
        message: refusal.message,
      });
      throw refusal;
    }
    c.set('principal', principal);
    await next();
  };
}
