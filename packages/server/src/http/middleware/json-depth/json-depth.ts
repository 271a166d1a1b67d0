import type { MiddlewareHandler } from 'hono';
import { AgentdError } from '../../../errors.js';

/**
 * How deep a JSON body may nest. JSON.parse reads any depth, but
 * JSON.stringify and every recursive walk on the way to storage overflow the
 * stack a few thousand levels down: a 500 for what is a bad request.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses a JSON body nested deeper than `maxDepth`, naming the top-level
 * field that holds it. A body that is not JSON is left to the route's
 * validator, which says so; the parsed body is cached for it either way.
 */
export function jsonDepthLimit(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler {
  return async (c, next) => {
    if (!/^application\/(?:[\w.+-]+\+)?json/i.test(c.req.header('content-type') ?? '')) return next();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return next();
    }
    const field = fieldPastDepth(body, maxDepth);
    if (field !== undefined) {
      throw new AgentdError(
        'invalid_request',
        'nesting_too_deep',
        `The JSON body nests deeper than ${maxDepth} levels${field ? ` in '${field}'` : ''}.`,
        { param: field || null },
      );
    }
    return next();
  };
}

/** The top-level field under which `value` nests past `maxDepth` ('' for the body itself), if it does; no recursion. */
function fieldPastDepth(value: unknown, maxDepth: number): string | undefined {
  const pending: [unknown, number, string][] = [[value, 0, '']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth, field] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return field;
    for (const [key, child] of Object.entries(node))
      pending.push([child, depth + 1, depth === 0 && !Array.isArray(node) ? key : field]);
  }
  return undefined;
}
