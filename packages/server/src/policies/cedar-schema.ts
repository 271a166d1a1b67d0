import type { JsonSchema } from '@agentd/spec';
import { type SchemaJson, schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';

/**
 * The Cedar schema every tenant's policies are validated against. Principals:
 * users (members of groups, from the identity provider's claims), API keys
 * and agents; resources: agents, tools, vector stores and files. A tool call
 * is `Agent` → `call_tool` → `Tool`, with the acting user or key and the
 * call's arguments in the context. Responses that name no agent run as the
 * agent `default`. A run's reads of stored files (file_search passages, the
 * code interpreter's files) are `Agent` → `read_file` → `File` or
 * `VectorStore`, with the caller in the context as for tool calls; a
 * download is the caller's own `read_file`. `administer` is asked of the
 * administrative routes, on an `Area` named after the route's permission
 * (`policies`, `limits`, `api_keys`, `tools`, ...), with the object the
 * path names, if any, in `context.id`.
 */
export const CEDAR_NAMESPACE = 'Agentd';

export const CEDAR_SCHEMA_TEXT = `namespace ${CEDAR_NAMESPACE} {
  entity Group;
  entity User in [Group] { role: String };
  entity ApiKey in [Group] { role: String };
  entity Agent;
  entity Tool;
  entity VectorStore;
  entity File;
  // An administrative area of the tenant: policies, limits, api_keys, secrets, tools, agents, ...
  entity Area;

  // The tool call's arguments: the top-level fields of the tenant's registered tools, each optional.
  type Arguments = {};
  action invoke_agent appliesTo { principal: [User, ApiKey], resource: [Agent], context: {} };
  action call_tool appliesTo {
    principal: [Agent],
    resource: [Tool],
    context: { arguments: Arguments, user?: User, api_key?: ApiKey, end_user?: String }
  };
  action read_file appliesTo {
    principal: [Agent, User, ApiKey],
    resource: [File, VectorStore],
    context: { user?: User, api_key?: ApiKey, end_user?: String, tool?: String }
  };
  action approve appliesTo { principal: [User, ApiKey], resource: [Tool], context: { agent: Agent, arguments: Arguments } };
  action administer appliesTo {
    principal: [User, ApiKey],
    resource: [Area],
    context: { id?: String, method?: String }
  };
}
`;

let base: SchemaJson<string> | undefined;

/** The schema above as JSON, parsed at its first use: Cedar's first call compiles its WebAssembly (a fifth of a second). */
function baseSchema(): SchemaJson<string> {
  if (!base) {
    const answer = schemaToJson(CEDAR_SCHEMA_TEXT);
    if (answer.type !== 'success')
      throw new Error(`agentd's Cedar schema does not parse: ${answer.errors[0]?.message}`);
    base = answer.json;
  }
  return base;
}

type CedarType = { type: 'String' } | { type: 'Long' } | { type: 'Boolean' };

/** A JSON Schema property's Cedar type, when it has one Cedar can compare (numbers only as integers). */
function cedarTypeOf(schema: unknown): CedarType | undefined {
  const type = (schema as { type?: unknown } | null)?.type;
  if (type === 'string') return { type: 'String' };
  if (type === 'integer' || type === 'number') return { type: 'Long' };
  if (type === 'boolean') return { type: 'Boolean' };
  return undefined;
}

/**
 * The schema for one tenant: `context.arguments` holds every top-level field
 * of its registered tools' input schemas (optional, so a policy tests `has`
 * first); a field two tools type differently is left out.
 */
export function tenantSchema(inputSchemas: readonly (JsonSchema | undefined)[]): SchemaJson<string> {
  const fields = new Map<string, CedarType | null>();
  for (const input of inputSchemas) {
    const properties = (input as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
    for (const [name, property] of Object.entries(properties)) {
      const type = cedarTypeOf(property);
      const seen = fields.get(name);
      if (!type) continue;
      if (seen === undefined) fields.set(name, type);
      else if (seen !== null && seen.type !== type.type) fields.set(name, null);
    }
  }
  const attributes = Object.fromEntries(
    [...fields].flatMap(([name, type]) => (type ? [[name, { ...type, required: false }]] : [])),
  );
  const namespace = baseSchema()[CEDAR_NAMESPACE]!;
  return {
    [CEDAR_NAMESPACE]: {
      ...namespace,
      commonTypes: { ...namespace.commonTypes, Arguments: { type: 'Record', attributes } },
    },
  };
}
