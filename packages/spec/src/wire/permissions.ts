import type { Principal, Role } from '../principal.js';

/** What a route requires of its caller; declared on every route. */
export type Permission =
  | 'self:read'
  | 'tenants:write'
  | 'api_keys:manage'
  | 'agents:read'
  | 'agents:write'
  | 'conversations:read'
  | 'conversations:write'
  | 'responses:read'
  | 'responses:write'
  | 'tools:read'
  | 'tools:write'
  | 'mcp:read'
  | 'secrets:write'
  | 'files:read'
  | 'files:write'
  | 'vector_stores:read'
  | 'vector_stores:write'
  | 'memories:read'
  | 'memories:write'
  | 'network_policy:read'
  | 'network_policy:write'
  | 'safety_policy:read'
  | 'safety_policy:write'
  | 'policies:read'
  | 'policies:write'
  | 'limits:read'
  | 'limits:write'
  | 'usage:read'
  | 'audit:read'
  | 'identity_provider:read'
  | 'identity_provider:write'
  | 'logs:read';

const MEMBER: Permission[] = [
  'self:read',
  'agents:read',
  'agents:write',
  'conversations:read',
  'conversations:write',
  'responses:read',
  'responses:write',
  'tools:read',
  'tools:write',
  'mcp:read',
  'files:read',
  'files:write',
  'vector_stores:read',
  'vector_stores:write',
  'memories:read',
  'memories:write',
  'safety_policy:read',
];
const ADMIN: Permission[] = [
  ...MEMBER,
  'api_keys:manage',
  'secrets:write',
  'network_policy:read',
  'safety_policy:write',
  'policies:read',
  'policies:write',
  'limits:read',
  'usage:read',
  'audit:read',
  'identity_provider:read',
  'identity_provider:write',
];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  member: new Set(MEMBER),
  admin: new Set(ADMIN),
  // logs:read: the server's logs cover every tenant, so only the platform's admins read them.
  platform_admin: new Set<Permission>([
    ...ADMIN,
    'tenants:write',
    'network_policy:write',
    'limits:write',
    'logs:read',
  ]),
};

/** Roles ordered by what they may do; a key can only create keys of its own rank or below. */
export const ROLE_RANK: Record<Role, number> = { member: 0, admin: 1, platform_admin: 2 };

/** Whether the principal's role allows the permission (its scopes are checked apart: see scopes.ts). */
export function isAllowed(principal: Principal, permission: Permission): boolean {
  return ROLE_PERMISSIONS[principal.role].has(permission);
}

/** Every permission some role has: what scopes are named after. */
export function allPermissions(): Permission[] {
  return [...ROLE_PERMISSIONS.platform_admin];
}
