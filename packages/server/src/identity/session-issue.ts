import type { Principal } from '@agentd/spec';
import { actorOf } from '../audit/audit-event.js';
import type { Services } from '../services.js';

/**
 * Issues a session token for a person who signed in and records the sign-in:
 * the token is only handed out once the audit log holds it.
 */
export async function issueSessionToken(
  services: Pick<Services, 'sessionTokens' | 'audit'>,
  principal: Principal,
  ttl: number,
) {
  const scopes = principal.scopes;
  const issued = await services.sessionTokens.issue(principal, ttl);
  await services.audit.append({
    tenantId: principal.tenantId,
    type: 'login.succeeded',
    actor: actorOf(principal),
    data: {
      token_type: 'paseto',
      via: principal.method,
      expires_at: issued.expiresAt,
      role: principal.role,
      scopes: scopes ?? null,
    },
  });
  return {
    object: 'auth.token' as const,
    token: issued.token,
    token_type: 'bearer' as const,
    expires_at: issued.expiresAt,
    expires_in: ttl,
    tenant_id: principal.tenantId,
    role: principal.role,
    scopes: scopes ? [...scopes] : null,
  };
}
