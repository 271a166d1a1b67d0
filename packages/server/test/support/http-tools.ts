/** The input of the weather tools the tests register: `{ city }`. */
export const cityInput = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

/** A manifest of an HTTP tool taking `{ city }`, served at `url` (a test tool server's path). */
export function httpToolManifest(name: string, url: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    description: `The ${name} tool`,
    input_schema: cityInput,
    adapter: { type: 'http', url },
    ...extra,
  };
}
