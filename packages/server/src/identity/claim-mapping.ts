import type { Principal, Role } from '@agentd/spec';
import { type IdentityProvider, isKnownScope, ROLE_RANK } from '@agentd/spec/wire';
import { AgentdError } from '../errors.js';
import { tokenRefused } from '../http/middleware/auth/token-errors.js';

type Claims = Record<string, unknown>;

/** A claim by name, or by a dotted path into nested objects (Keycloak's `realm_access.roles`). */
export function claimAt(claims: Claims, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Claims)[part];
  }
  return value;
}

/** A claim as a list of strings: a list's strings, or a string split on spaces (OAuth's `scope`). */
export function stringsAt(claims: Claims, path: string): string[] | undefined {
  const value = claimAt(claims, path);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return undefined;
}

/**
 * The principal a verified token's claims make in a tenant, under the
 * provider's mapping: user, groups, the highest mapped role (or the default
 * one), and the agentd scopes the token carries.
 */
export function principalFromClaims(
  claims: Claims,
  provider: Pick<IdentityProvider, 'claims' | 'role_map' | 'default_role'>,
  tenant: { id: string; name: string },
  method: Principal['method'],
): Principal {
  const mapping = provider.claims;
  if (mapping.tenant !== null) {
    const named = claimAt(claims, mapping.tenant);
    if (named !== tenant.id && named !== tenant.name) {
      throw tokenRefused(
        'tenant_mismatch',
        `The token is for another tenant: its '${mapping.tenant}' claim does not name the tenant that trusts its issuer and audience.`,
      );
    }
  }
  const role = roleOf(stringsAt(claims, mapping.roles) ?? [], provider);
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  const user = claimAt(claims, mapping.user);
  const userId = typeof user === 'string' && user !== '' ? user : sub;
  if (!userId) throw tokenRefused('invalid_token', `The token has no '${mapping.user}' claim naming a user.`);
  const groups = stringsAt(claims, mapping.groups);
  const scopes = stringsAt(claims, mapping.scopes)?.filter(isKnownScope);
  return {
    tenantId: tenant.id,
    subject: sub ?? userId,
    method,
    role,
    userId,
    ...(groups ? { groups } : {}),
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
  };
}

function roleOf(values: string[], provider: Pick<IdentityProvider, 'role_map' | 'default_role'>): Role {
  let best: Role | null = provider.default_role;
  for (const value of values) {
    const mapped = Object.hasOwn(provider.role_map, value) ? provider.role_map[value] : undefined;
    if (mapped && (best === null || ROLE_RANK[mapped] > ROLE_RANK[best])) best = mapped;
  }
  if (best === null) {
    throw new AgentdError(
      'permission',
      'no_role',
      'The token is valid, but none of its roles is mapped to an agentd role and the identity provider has no default role.',
    );
  }
  return best;
}
