import type { RouterRoute } from 'hono/types';

/** A route's path as a pattern: `:id` (and `:id{regex}`) match one segment, `*` the rest. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods the app's routes answer on a path, so a known path asked with
 * another method is a 405 naming them, not a 404. Middleware (`ALL`) does
 * not count.
 */
export function allowedMethods(routes: readonly RouterRoute[]): (path: string) => string[] {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    table ??= routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ pattern: pathPattern(route.path), method: route.method }));
    const methods = new Set(table.filter((entry) => entry.pattern.test(path)).map((entry) => entry.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
