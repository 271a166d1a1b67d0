import { z } from '@hono/zod-openapi';
import { AgentdError } from '../errors.js';
import type { SqlParam } from '../storage/database.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const ComparisonFilter = z
  .strictObject({
    type: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin']),
    key: z.string().min(1).max(64),
    value: z.union([Scalar, z.array(Scalar).max(100)]),
  })
  .openapi('ComparisonFilter');

type Scalar = string | number | boolean;
interface Comparison {
  type: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin';
  key: string;
  value: Scalar | Scalar[];
}
interface Compound {
  type: 'and' | 'or';
  filters: AttributeFilter[];
}
export type AttributeFilter = Comparison | Compound;

const isCompound = (filter: AttributeFilter): filter is Compound =>
  filter.type === 'and' || filter.type === 'or';

const compound = <T extends z.ZodType>(inner: T) =>
  z.strictObject({ type: z.enum(['and', 'or']), filters: z.array(inner).min(1).max(20) });

/**
 * OpenAI's file attribute filters: comparisons, and `and` / `or` of filters,
 * nested up to three levels (spelled out: the OpenAPI generator cannot follow
 * a recursive schema).
 */
export const AttributeFilterSchema: z.ZodType<AttributeFilter> = z
  .union([
    ComparisonFilter,
    compound(z.union([ComparisonFilter, compound(z.union([ComparisonFilter, compound(ComparisonFilter)]))])),
  ])
  .openapi('AttributeFilter', {
    description: 'A comparison on a file attribute, or an `and`/`or` of filters.',
  });

const OPERATORS = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Compiles a filter to a SQL condition on `column` (a jsonb of attributes),
 * adding its values to `params`. Values are always parameters; keys too.
 */
export function compileFilter(
  filter: AttributeFilter,
  column: string,
  params: SqlParam[],
  depth = 0,
): string {
  if (depth > 4) throw new FilterError('filters nest more than 4 levels deep');
  if (isCompound(filter)) {
    const parts = filter.filters.map((inner) => compileFilter(inner, column, params, depth + 1));
    return `(${parts.join(filter.type === 'and' ? ' AND ' : ' OR ')})`;
  }
  params.push(filter.key);
  const key = `$${params.length}`;
  const value = filter.value;
  if (filter.type === 'in' || filter.type === 'nin') {
    if (!Array.isArray(value)) throw new FilterError(`'${filter.type}' needs an array value`);
    params.push(JSON.stringify(value));
    const test = `(${column} -> ${key}) IN (SELECT jsonb_array_elements($${params.length}::jsonb))`;
    return filter.type === 'in' ? test : `(${column} ? ${key} AND NOT ${test})`;
  }
  if (Array.isArray(value)) throw new FilterError(`'${filter.type}' needs a single value, not an array`);
  if (filter.type === 'eq' || filter.type === 'ne') {
    params.push(JSON.stringify(value));
    const test = `(${column} -> ${key}) = $${params.length}::jsonb`;
    return filter.type === 'eq' ? test : `(${column} ? ${key} AND NOT ${test})`;
  }
  const operator = OPERATORS[filter.type];
  if (typeof value === 'number') {
    params.push(value);
    return `(jsonb_typeof(${column} -> ${key}) = 'number' AND (${column} ->> ${key})::numeric ${operator} $${params.length})`;
  }
  if (typeof value === 'string') {
    params.push(value);
    return `(jsonb_typeof(${column} -> ${key}) = 'string' AND (${column} ->> ${key}) ${operator} $${params.length})`;
  }
  throw new FilterError(`'${filter.type}' compares numbers or strings, not booleans`);
}

/** A filter the schema accepts but SQL cannot apply: a 400 naming `filters`. */
export class FilterError extends AgentdError {
  constructor(problem: string) {
    super('invalid_request', 'invalid_filter', problem, { param: 'filters' });
    this.name = 'FilterError';
  }
}
