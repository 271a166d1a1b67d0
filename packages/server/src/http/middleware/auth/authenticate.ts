import type { Principal } from '@agentd/spec';
import type { MiddlewareHandler } from 'hono';
import { AgentdError } from '../../../errors.js';
import type { AppEnv } from '../../app-env.js';

/**
 * Turns a bearer token into a principal, or says it is not one of its kind
 * (undefined) so the next authenticator may try; one that recognises its kind
 * and refuses it throws the 401 naming why (see token-errors.ts).
 */
export type Authenticator = (token: string) => Promise<Principal | undefined>;

const unauthorized = () =>
  new AgentdError(
    'authentication',
    'invalid_api_key',
    'Missing or invalid credentials. Send Authorization: Bearer <api key or token>.',
  );

export function authenticate(authenticators: Authenticator[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const token = match?.[1];
    if (!token) throw unauthorized();
    for (const authenticator of authenticators) {
      const principal = await authenticator(token);
      if (principal) {
        c.set('principal', principal);
        await next();
        return;
      }
    }
    throw unauthorized();
  };
}
