import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
// Keyed by the schema's JSON: each run brings its tool schemas as fresh objects.
const cache = new Map<string, ValidateFunction>();
const CACHE_LIMIT = 1000;

export type ArgumentCheck = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses a tool call's arguments and checks them against the tool's JSON Schema. */
export function validateArguments(schema: Record<string, unknown>, raw: string): ArgumentCheck {
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (error) {
    return { ok: false, message: `the arguments are not valid JSON (${(error as Error).message})` };
  }
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return { ok: false, message: `the tool's input schema is invalid (${(error as Error).message})` };
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, validate);
  }
  if (validate(value)) return { ok: true, value };
  const error = validate.errors?.[0];
  const where = error?.instancePath
    ? `'${error.instancePath.slice(1).replace(/\//g, '.')}'`
    : 'the arguments';
  return { ok: false, message: `${where} ${error?.message ?? 'do not match the schema'}` };
}
