/**
 * The part of JSON Schema (2020-12, as the server's OpenAPI 3.1 document has
 * it) that the agent form renders, and a reader of the server's schemas.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
}

type Components = Record<string, JsonSchema>;

/** Inlines `#/components/schemas/...` references (depth-capped: the agent schemas are not recursive). */
export function deref(schema: JsonSchema, components: Components, depth = 0): JsonSchema {
  if (depth > 8) return {};
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) ?? '';
    const target = components[name];
    return target ? deref(target, components, depth + 1) : {};
  }
  const out: JsonSchema = { ...schema };
  if (schema.properties)
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, deref(value, components, depth + 1)]),
    );
  if (schema.items) out.items = deref(schema.items, components, depth + 1);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) out.anyOf = union.map((option) => deref(option, components, depth + 1));
  delete out.oneOf;
  return out;
}

/** The schema's one non-null alternative, and whether null is allowed (`anyOf: [X, {type: null}]`). */
export function unwrapNullable(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const rest = schema.type.filter((type) => type !== 'null');
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  const options = schema.anyOf ?? [];
  const others = options.filter((option) => option.type !== 'null');
  if (options.length > 0 && others.length === 1 && others.length < options.length)
    return {
      schema: { ...others[0], description: schema.description ?? others[0]?.description },
      nullable: true,
    };
  return { schema, nullable: false };
}

let cached: Promise<Components> | undefined;

/** The server's schemas (its OpenAPI document, read once per page). */
export function serverSchemas(): Promise<Components> {
  cached ??= fetch('/openapi.json')
    .then((response) => {
      if (!response.ok) throw new Error(`The API description answered ${response.status}`);
      return response.json() as Promise<{ components?: { schemas?: Components } }>;
    })
    .then((document) => document.components?.schemas ?? {});
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** A schema of the server's, references inlined. */
export async function serverSchema(name: string): Promise<JsonSchema> {
  const components = await serverSchemas();
  const schema = components[name];
  if (!schema) throw new Error(`The server describes no ${name}`);
  return deref(schema, components);
}
