import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations.js';

/**
 * Where a string goes, so that the generator can give an id where an id is
 * expected: `ids(name)` returns ids for a field or parameter of that name
 * (an empty list: none known, generate text instead).
 */
export interface ValueContext {
  ids(name: string): string[];
}

const MAX_ITEMS = 3;
const MAX_TEXT = 16;

/** Text a schema accepts: plain words, so that valid requests stay valid. */
const word = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'),
    minLength: min,
    maxLength: max,
  });

/** Property and parameter names that hold an object id (or a list of them). */
export function isIdField(name: string): boolean {
  return /(^|_)ids?$/.test(name) || ['agent', 'conversation', 'after'].includes(name);
}

/**
 * Values valid for a JSON Schema (the subset zod's OpenAPI output uses):
 * const, enum, anyOf/oneOf, type lists, strings with their lengths and
 * patterns, bounded numbers, arrays, objects with required and optional
 * properties, records. `{}` (anything) gives small JSON values.
 */
export function arbitraryFor(schema: JsonSchema, context: ValueContext, name = ''): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) return fc.oneof(...branches.map((branch) => arbitraryFor(branch, context, name)));
  if (Array.isArray(schema.allOf)) {
    return arbitraryFor(Object.assign({}, ...(schema.allOf as JsonSchema[])), context, name);
  }
  const type = schema.type;
  if (Array.isArray(type)) {
    return fc.oneof(...type.map((single) => arbitraryFor({ ...schema, type: single }, context, name)));
  }
  switch (type) {
    case 'string':
      return stringFor(schema, context, name);
    case 'integer':
      return fc.integer({ min: bound(schema.minimum, 0), max: bound(schema.maximum, 1000) });
    case 'number':
      return fc.double({
        min: bound(schema.minimum, 0),
        max: bound(schema.maximum, 1000),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbitraryFor((schema.items as JsonSchema) ?? {}, context, name), {
        minLength: (schema.minItems as number | undefined) ?? 0,
        maxLength: Math.min((schema.maxItems as number | undefined) ?? MAX_ITEMS, MAX_ITEMS),
      });
    case 'object':
      return objectFor(schema, context);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function bound(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function stringFor(schema: JsonSchema, context: ValueContext, name: string): fc.Arbitrary<string> {
  const ids = isIdField(name) ? context.ids(name) : [];
  if (ids.length > 0) return fc.constantFrom(...ids);
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = Math.max(min, Math.min((schema.maxLength as number | undefined) ?? MAX_TEXT, MAX_TEXT));
  const pattern = schema.pattern as string | undefined;
  // A printable-text pattern (\p{...}) is met by plain words; fast-check reads the simpler ones itself.
  if (pattern && !pattern.includes('\\p{')) return fc.stringMatching(new RegExp(pattern));
  return word(Math.max(min, 1), Math.max(max, 1)).filter((text) => text.length >= min);
}

function objectFor(schema: JsonSchema, context: ValueContext): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) {
    const values = schema.additionalProperties;
    if (values === false) return fc.constant({});
    const valueSchema = typeof values === 'object' && values !== null ? (values as JsonSchema) : {};
    return fc.dictionary(word(1, 8), arbitraryFor(valueSchema, context), { maxKeys: MAX_ITEMS });
  }
  const model = Object.fromEntries(
    names.map((property) => [property, arbitraryFor(properties[property] ?? {}, context, property)]),
  );
  return fc.record(model, { requiredKeys: names.filter((property) => required.has(property)) });
}
