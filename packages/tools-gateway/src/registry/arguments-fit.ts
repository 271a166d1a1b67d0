import { Ajv, type ValidateFunction } from 'ajv';

// The run loop's argument check (core's validateArguments) uses the same options.
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const compiled = new WeakMap<object, ValidateFunction | null>();

/**
 * Whether a call's arguments fit a tool's input schema, so capability routing
 * can pass over a tool they do not fit. The validator is compiled once per
 * schema object; a schema that does not compile fits nothing.
 */
export function argumentsFit(schema: object, args: unknown): boolean {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch {
      validate = null;
    }
    compiled.set(schema, validate);
  }
  return validate !== null && validate(args ?? {}) === true;
}
