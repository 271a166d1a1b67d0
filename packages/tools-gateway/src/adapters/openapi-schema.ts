import type { JsonSchema } from '@agentd/spec';

// OpenAPI-only keywords that mean nothing to a JSON Schema validator.
const DROPPED = new Set(['xml', 'externalDocs', 'discriminator', 'example']);
// Keywords whose values are data, copied as they are.
const VALUES = new Set(['enum', 'const', 'default', 'examples']);

/**
 * Copies an OpenAPI schema into plain JSON Schema for a tool's input: a
 * recursive schema (a cycle or a $ref left by dereferencing) becomes an open
 * schema, and OpenAPI 3.0's `nullable` and boolean `exclusiveMinimum` take
 * their JSON Schema forms.
 */
export function toToolSchema(schema: unknown, openapi30: boolean): JsonSchema {
  const copied = copy(schema, openapi30, new Set());
  return isRecord(copied) ? copied : {};
}

function copy(value: unknown, openapi30: boolean, ancestors: Set<object>): unknown {
  if (Array.isArray(value)) {
    if (ancestors.has(value)) return [];
    ancestors.add(value);
    const out = value.map((item) => copy(item, openapi30, ancestors));
    ancestors.delete(value);
    return out;
  }
  if (!isRecord(value)) return value;
  if (ancestors.has(value) || typeof value.$ref === 'string')
    return { description: 'unresolved or recursive: any value' };
  ancestors.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (DROPPED.has(key)) continue;
    if (VALUES.has(key)) out[key] = item;
    // Under `properties`, keys are property names, not keywords.
    else if (key === 'properties' && isRecord(item)) out[key] = copyProperties(item, openapi30, ancestors);
    else out[key] = copy(item, openapi30, ancestors);
  }
  ancestors.delete(value);
  if (openapi30) convert30(out);
  return out;
}

function copyProperties(properties: Record<string, unknown>, openapi30: boolean, ancestors: Set<object>) {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) out[name] = copy(schema, openapi30, ancestors);
  return out;
}

function convert30(schema: Record<string, unknown>): void {
  if (schema.nullable === true) {
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
  delete schema.nullable;
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[flag] === true && typeof schema[bound] === 'number') {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[flag] === 'boolean') {
      delete schema[flag];
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
