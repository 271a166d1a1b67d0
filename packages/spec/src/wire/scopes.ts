import type { Principal } from '../principal.js';
import { allPermissions, type Permission } from './permissions.js';

/**
 * Scopes narrow a credential below its role. A scope is `<resource>:<level>`,
 * named after the permissions routes declare (`responses:write`,
 * `agents:read`, `api_keys:manage`, ...):
 *
 * - `<resource>:read` covers `<resource>:read`;
 * - `<resource>:write` covers `<resource>:read` and `<resource>:write`;
 * - `<resource>:admin` covers every permission of the resource (`tools:admin`,
 *   `api_keys:admin` for `api_keys:manage`).
 *
 * `self:read` (GET /v1/me) is allowed to every credential. A principal
 * without scopes has its role's full set.
 */
export const SCOPE_LEVELS = ['read', 'write', 'admin'] as const;

const ALWAYS_ALLOWED: ReadonlySet<string> = new Set<Permission>(['self:read']);

function split(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon < 0 ? [name, ''] : [name.slice(0, colon), name.slice(colon + 1)];
}

export function scopeCovers(scope: string, permission: Permission): boolean {
  const [resource, action] = split(permission);
  const [scopeResource, level] = split(scope);
  if (scopeResource !== resource) return false;
  if (level === 'admin') return true;
  if (level === 'write') return action === 'read' || action === 'write';
  return level === 'read' && action === 'read';
}

/** Whether the credential's scopes (if it has any) cover the permission. */
export function scopesAllow(principal: Principal, permission: Permission): boolean {
  if (principal.scopes === undefined || ALWAYS_ALLOWED.has(permission)) return true;
  return principal.scopes.some((scope) => scopeCovers(scope, permission));
}

/** Every scope name agentd knows, sorted: each level of each resource that covers some permission. */
export function knownScopes(): string[] {
  const permissions = allPermissions().filter((permission) => !ALWAYS_ALLOWED.has(permission));
  const resources = new Set(permissions.map((permission) => split(permission)[0]));
  return [...resources]
    .flatMap((resource) => SCOPE_LEVELS.map((level) => `${resource}:${level}`))
    .filter((scope) => permissions.some((permission) => scopeCovers(scope, permission)))
    .sort();
}

export function isKnownScope(scope: string): boolean {
  return knownScopes().includes(scope);
}

/** Whether every one of `wanted` is covered by `held` (undefined: a full role, covers anything). */
export function scopesWithin(wanted: readonly string[], held: readonly string[] | undefined): boolean {
  if (held === undefined) return true;
  return wanted.every((scope) => {
    const [resource, level] = split(scope);
    const implied = allPermissions().filter((permission) => {
      if (split(permission)[0] !== resource) return false;
      return scopeCovers(`${resource}:${level}`, permission);
    });
    return implied.every((permission) => held.some((h) => scopeCovers(h, permission)));
  });
}
