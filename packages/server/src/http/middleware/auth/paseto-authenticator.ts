import type { SessionTokens } from '../../../identity/session-tokens.js';
import type { Authenticator } from './authenticate.js';
import { tokenRefused } from './token-errors.js';

/** Authenticates PASETO v4.public tokens; other PASETO versions and purposes are refused by name. */
export function pasetoAuthenticator(tokens: SessionTokens): Authenticator {
  return async (token) => {
    if (token.startsWith('v4.public.')) return tokens.verify(token);
    if (/^v[1-4]\.(local|public)\./.test(token)) {
      throw tokenRefused('invalid_token', 'Only v4.public PASETO tokens are accepted.');
    }
    return undefined;
  };
}
