import type { Permission } from '@agentd/spec/wire';
import type { RouteConfig } from '@hono/zod-openapi';
import { defineRoute } from './define-route.js';

/** What a route declares of its own once its group has said the tag and the permission. */
type OwnDeclaration = Omit<RouteConfig, 'method' | 'path' | 'tags'>;

/**
 * The routes of one part of the API (one OpenAPI tag), with what they share
 * said once: the tag, and the permission a read and a change need (`null`:
 * public). Each route then says its method, its path and what is its own;
 * `read` and `write` name which of the two permissions it needs (a search
 * sent with POST is still a read).
 */
export function routeGroup(group: { tags: string[]; read: Permission | null; write: Permission | null }) {
  const declare =
    (permission: Permission | null) =>
    <const M extends RouteConfig['method'], const P extends string, const R extends OwnDeclaration>(
      method: M,
      path: P,
      route: R,
    ) =>
      defineRoute({ method, path, tags: group.tags, ...route, permission });
  return { read: declare(group.read), write: declare(group.write) };
}
