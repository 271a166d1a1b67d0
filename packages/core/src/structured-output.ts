import type { TextFormat } from '@agentd/spec';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** One thing wrong with an answer or a schema: where (a JSON Pointer, `` for the whole) and what. */
export interface OutputProblem {
  path: string;
  message: string;
}

export type OutputCheck = { ok: true; value: unknown } | { ok: false; problems: OutputProblem[] };

// allErrors: the model is told everything wrong at once, so one retry can fix it all.
// Formats (date-time, email) are not checked: ajv knows none without ajv-formats; quiet about it.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, logger: false });
// Keyed by the schema's JSON: a run's schema arrives as a fresh object each time it is read.
const cache = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 500;
const MAX_PROBLEMS = 10;

/**
 * What is wrong with a JSON Schema given for structured outputs, each
 * problem located inside the schema (`/properties/age/type`). Empty: usable.
 */
export function schemaProblems(schema: Record<string, unknown>): OutputProblem[] {
  const bare = withoutDialect(schema);
  if (!ajv.validateSchema(bare)) {
    return (ajv.errors ?? []).slice(0, MAX_PROBLEMS).map((error) => ({
      path: error.instancePath,
      message: error.message ?? 'is not valid JSON Schema',
    }));
  }
  try {
    compile(bare);
    return [];
  } catch (error) {
    return [{ path: '', message: `cannot be compiled: ${(error as Error).message}` }];
  }
}

/** Checks a final answer against a JSON text format: valid JSON, then an object or the schema. */
export function checkOutput(format: Exclude<TextFormat, { type: 'text' }>, text: string): OutputCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ path: '', message: `is not valid JSON (${(error as Error).message})` }],
    };
  }
  if (format.type === 'json_object') {
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    return isObject
      ? { ok: true, value }
      : { ok: false, problems: [{ path: '', message: 'must be a JSON object' }] };
  }
  const validate = compile(withoutDialect(format.schema));
  if (validate(value)) return { ok: true, value };
  return { ok: false, problems: (validate.errors ?? []).slice(0, MAX_PROBLEMS).map(describe) };
}

/** A problem as one line: `/items/0/price: must be number` (`(root)` for the whole answer). */
export function formatProblem(problem: OutputProblem): string {
  return `${problem.path || '(root)'}: ${problem.message}`;
}

function compile(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, validate);
  }
  return validate;
}

/**
 * Ajv knows draft-07 only; `$schema` naming another dialect would fail to
 * compile though the keywords used by structured outputs mean the same.
 */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  if (!('$schema' in schema)) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

/** A missing or extra property is located at the property itself, not at its parent. */
function describe(error: ErrorObject): OutputProblem {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === 'required' && params.missingProperty !== undefined) {
    return {
      path: `${error.instancePath}/${pointerSegment(params.missingProperty)}`,
      message: 'is required',
    };
  }
  if (error.keyword === 'additionalProperties' && params.additionalProperty !== undefined) {
    return {
      path: `${error.instancePath}/${pointerSegment(params.additionalProperty)}`,
      message: 'is not allowed by the schema',
    };
  }
  return { path: error.instancePath, message: error.message ?? 'does not match the schema' };
}

function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
