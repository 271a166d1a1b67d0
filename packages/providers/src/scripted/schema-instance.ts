import type { ModelRequest } from '@agentd/spec';

type Schema = Record<string, unknown>;

const FORMATS: Record<string, string> = {
  'date-time': '1970-01-01T00:00:00Z',
  date: '1970-01-01',
  time: '00:00:00',
  email: 'user@example.com',
  uri: 'https://example.com/',
  uuid: '00000000-0000-0000-0000-000000000000',
};

/**
 * The scripted model's answer in a requested JSON format: for a schema, the
 * smallest instance it can build (required properties only, empty strings,
 * the lowest allowed numbers, the first enum value or union branch); for
 * `json_object`, the plain answer under `answer`. Free text stays as it is.
 */
export function formatAnswer(format: ModelRequest['textFormat'], text: string): string {
  if (format === undefined) return text;
  if (format.type === 'json_object') return JSON.stringify({ answer: text });
  return JSON.stringify(minimalInstance(format.schema, format.schema, 0));
}

export function minimalInstance(schema: unknown, root: Schema, depth: number): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 32) return null;
  const s = schema as Schema;
  if (typeof s.$ref === 'string') return minimalInstance(resolve(root, s.$ref), root, depth + 1);
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const branches = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) return minimalInstance(branches[0], root, depth + 1);
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((part) => minimalInstance(part, root, depth + 1));
    if (parts.every((part) => typeof part === 'object' && part !== null && !Array.isArray(part))) {
      return Object.assign({}, minimalInstance({ ...s, allOf: undefined }, root, depth + 1), ...parts);
    }
    return parts[0] ?? null;
  }
  switch (typeOf(s)) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(
        required.map((key) => [key, minimalInstance(properties[key] ?? {}, root, depth + 1)]),
      );
    }
    case 'array': {
      const count = typeof s.minItems === 'number' ? s.minItems : 0;
      const prefix = (
        Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : []
      ) as unknown[];
      return Array.from({ length: count }, (_, index) =>
        minimalInstance(prefix[index] ?? (Array.isArray(s.items) ? {} : (s.items ?? {})), root, depth + 1),
      );
    }
    case 'string':
      return typeof s.format === 'string' && FORMATS[s.format]
        ? FORMATS[s.format]
        : 'x'.repeat(typeof s.minLength === 'number' ? s.minLength : 0);
    case 'integer':
    case 'number':
      return lowestNumber(s, typeOf(s) === 'integer');
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** The schema's type: the first non-null one of a list, or what its keywords imply. */
function typeOf(s: Schema): string | undefined {
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  const first = types.find((type) => type !== 'null') ?? types[0];
  if (first) return first;
  if (s.properties || s.required) return 'object';
  if (s.items || s.prefixItems) return 'array';
  return undefined;
}

function lowestNumber(s: Schema, integer: boolean): number {
  let value = 0;
  if (typeof s.minimum === 'number') value = s.minimum;
  else if (typeof s.exclusiveMinimum === 'number') value = s.exclusiveMinimum + (integer ? 1 : 0.5);
  else if (typeof s.maximum === 'number' && s.maximum < 0) value = s.maximum;
  else if (typeof s.exclusiveMaximum === 'number' && s.exclusiveMaximum <= 0) value = s.exclusiveMaximum - 1;
  return integer ? Math.ceil(value) : value;
}

/** A local reference (`#/$defs/x`, `#/definitions/x`, `#`) into the root schema. */
function resolve(root: Schema, ref: string): unknown {
  if (!ref.startsWith('#')) return {};
  return ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Schema)[key] : undefined),
      root,
    );
}
