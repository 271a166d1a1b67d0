/** A JSON Schema as the OpenAPI document holds it (3.1: JSON Schema 2020-12). */
export type JsonSchema = { [key: string]: unknown };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the API, read from /openapi.json, with every `$ref` resolved. */
export interface Operation {
  method: string;
  /** The OpenAPI path template, `/v1/agents/{id}`. */
  path: string;
  label: string;
  permission: string | null;
  parameters: Parameter[];
  body?: { type: 'json' | 'multipart'; schema: JsonSchema; required: boolean };
}

type Document = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Every operation in the document, in document order. */
export function operationsOf(document: Document): Operation[] {
  const resolve = resolver(document.components?.schemas ?? {});
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = ((operation.parameters ?? []) as Record<string, unknown>[]).map((parameter) => ({
        name: String(parameter.name),
        in: parameter.in as Parameter['in'],
        required: parameter.required === true,
        schema: resolve(parameter.schema as JsonSchema),
      }));
      const requestBody = operation.requestBody as
        | { required?: boolean; content: Record<string, { schema: JsonSchema }> }
        | undefined;
      const json = requestBody?.content['application/json'];
      const multipart = requestBody?.content['multipart/form-data'];
      const body = json
        ? { type: 'json' as const, schema: resolve(json.schema), required: requestBody?.required === true }
        : multipart
          ? { type: 'multipart' as const, schema: resolve(multipart.schema), required: true }
          : undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        permission: (operation['x-agentd-permission'] as string | undefined) ?? null,
        parameters,
        ...(body ? { body } : {}),
      });
    }
  }
  return operations;
}

/**
 * Replaces `$ref`s by the schemas they name. A recursive schema is expanded a
 * few levels deep and then stops at `{}` (anything), which is enough to
 * generate values from it.
 */
function resolver(components: Record<string, JsonSchema>) {
  const resolve = (schema: unknown, depth: number): unknown => {
    if (Array.isArray(schema)) return schema.map((entry) => resolve(entry, depth));
    if (schema === null || typeof schema !== 'object') return schema;
    const ref = (schema as JsonSchema).$ref;
    if (typeof ref === 'string') {
      const name = ref.replace('#/components/schemas/', '');
      const target = components[name];
      if (!target || depth > 4) return {};
      return resolve(target, depth + 1);
    }
    return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolve(value, depth)]));
  };
  return (schema: JsonSchema) => resolve(schema, 0) as JsonSchema;
}
