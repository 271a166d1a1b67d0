/** A strict JSON Schema object, as structured outputs want it: these properties, all required, no others. */
export function strictObject(properties: Record<string, { type: string }>) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

/** The parameters of the `add` tool most tests give a model: two numbers. */
export const addSchema = strictObject({ a: { type: 'number' }, b: { type: 'number' } });
