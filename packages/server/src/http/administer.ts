import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';

/**
 * The administrative areas of a tenant: what their routes' write permission
 * is named after (`policies:write`, `api_keys:manage`, ...). Changing one is
 * Cedar's `administer` action on `Agentd::Area::"<area>"`. Files and vector
 * stores are not among them: they are what people work with, and reading
 * them is `read_file`.
 */
const AREAS: ReadonlySet<string> = new Set([
  'agents',
  'tools',
  'secrets',
  'policies',
  'limits',
  'api_keys',
  'network_policy',
  'safety_policy',
  'identity_provider',
  'tenants',
]);

/** The area a route changes, when its permission writes one (`tools:write` → `tools`); else undefined. */
export function administeredArea(permission: string, method: string): string | undefined {
  if (method.toLowerCase() === 'get') return undefined;
  const [area = '', level] = permission.split(':');
  return (level === 'write' || level === 'manage') && AREAS.has(area) ? area : undefined;
}

/**
 * Asks the tenant's policies whether the caller may administer `area`
 * (a 403 `policy_denied` naming the policy when not), with the object the
 * path names (`{id}`) in `context.id`. Platform admins are not asked: they
 * run the platform, and a tenant's policy must never lock out the people who
 * can mend it.
 */
export function requireAdminister(area: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal && principal.role !== 'platform_admin') {
      const id = c.req.param('id');
      await c.get('services').policies.authorizeAdminister(principal, area, c.req.method, id);
    }
    await next();
  };
}
