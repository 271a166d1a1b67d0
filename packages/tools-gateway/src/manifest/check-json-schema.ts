import { Ajv, type ErrorObject } from 'ajv';

const ajv = new Ajv({ strict: false });

/** What is wrong with a JSON Schema: where in it (a dotted path) and what. */
export interface SchemaProblem {
  path: string;
  /** The same place as keys and array positions, for joining onto another path. */
  segments: (string | number)[];
  message: string;
}

/**
 * Checks that a value is a JSON Schema an argument validator can use: first
 * against the meta-schema (which names the place, e.g. `properties.x.type`),
 * then by compiling it (unresolvable `$ref`s and the like).
 */
export function checkJsonSchema(schema: unknown): SchemaProblem | undefined {
  if (!ajv.validateSchema(schema as Record<string, unknown>)) {
    const error = pick(ajv.errors ?? []);
    if (error) {
      const segments = segmentsOf(error.instancePath);
      return { path: dotted(segments), segments, message: describe(error) };
    }
  }
  try {
    ajv.compile(schema as Record<string, unknown>);
  } catch (error) {
    return { path: '', segments: [], message: `is not a usable JSON Schema (${(error as Error).message})` };
  }
  return undefined;
}

/** The deepest error: an anyOf reports its branches' errors before its own summary. */
function pick(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.reduce<ErrorObject | undefined>(
    (best, error) =>
      best === undefined || error.instancePath.length > best.instancePath.length ? error : best,
    undefined,
  );
}

function describe(error: ErrorObject): string {
  const parts = error.instancePath.split('/');
  // `type` the keyword, not a property of that name.
  const isTypeKeyword =
    parts.at(-1) === 'type' &&
    !/^(properties|patternProperties|definitions|\$defs)$/.test(parts.at(-2) ?? '');
  if (isTypeKeyword && (error.keyword === 'enum' || error.keyword === 'type' || error.keyword === 'anyOf')) {
    return 'must be a JSON Schema type: "string", "number", "integer", "boolean", "object", "array" or "null" (or a list of them)';
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return error.message ?? 'is invalid';
}

/** `/properties/x/type` → ['properties', 'x', 'type']; array positions as numbers. */
function segmentsOf(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** ['properties', 'x', 'type'] → `properties.x.type`; array positions as `[n]`. */
function dotted(segments: (string | number)[]): string {
  return segments
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`))
    .join('')
    .replace(/^\./, '');
}
