import type { ApiKeyRepository } from '../../../api-keys/api-key-repository.js';
import type { Authenticator } from './authenticate.js';

const TOUCH_INTERVAL_MS = 60_000;

/** Authenticates API keys by their stored hash, and records when each was last used (at most once a minute). */
export function apiKeyAuthenticator(
  keys: ApiKeyRepository,
  onError: (error: unknown) => void,
): Authenticator {
  const lastTouched = new Map<string, number>();
  return async (token) => {
    const identity = await keys.findBySecret(token);
    if (!identity) return undefined;
    const now = Date.now();
    if (now - (lastTouched.get(identity.id) ?? 0) > TOUCH_INTERVAL_MS) {
      lastTouched.set(identity.id, now);
      keys.touch(identity.id).catch(onError);
    }
    return {
      tenantId: identity.tenantId,
      subject: identity.id,
      method: 'api_key',
      role: identity.role,
      ...(identity.scopes ? { scopes: identity.scopes } : {}),
    };
  };
}
