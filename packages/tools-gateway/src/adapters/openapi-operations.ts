import type { JsonSchema } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { toToolSchema } from './openapi-schema.js';
import {
  HTTP_METHODS,
  type HttpMethod,
  type OpenApiDocument,
  type OpenApiMediaType,
  type OpenApiParameter,
  type OpenApiServer,
} from './openapi-types.js';
import type { AdapterTool } from './tool-adapter.js';

/** One input property and the parameter it fills. */
export interface ParameterBinding {
  property: string;
  parameter: OpenApiParameter;
}

export interface BodyBinding {
  property: string;
  mediaType: string;
  /** JSON is sent as JSON, a form as urlencoded pairs, anything else as the string given. */
  encoding: 'json' | 'form' | 'text';
}

/** An operation as a tool: its definition and how its arguments map onto a request. */
export interface OpenApiToolOperation {
  tool: AdapterTool;
  method: HttpMethod;
  path: string;
  servers?: OpenApiServer[];
  parameters: ParameterBinding[];
  body?: BodyBinding;
}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Makes each operation (or only those listed in `only`, by operationId) a
 * tool: path, query and header parameters become properties of the input
 * object, the request body the property `body`.
 */
export function describeOperations(
  document: OpenApiDocument,
  only: readonly string[] | undefined,
  documentName: string,
): OpenApiToolOperation[] {
  const openapi30 = document.openapi.startsWith('3.0');
  const wanted = only ? new Set(only) : undefined;
  const found = new Set<string>();
  const names = new Set<string>();
  const operations: OpenApiToolOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || typeof operation !== 'object') continue;
      const id = operation.operationId;
      if (wanted && !(id !== undefined && wanted.has(id))) continue;
      if (id !== undefined) found.add(id);
      const name = uniqueName(id === undefined ? synthesise(method, path) : sanitise(id), names);
      const parameters = mergeParameters(item.parameters, operation.parameters);
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      const bindings: ParameterBinding[] = [];
      const body = operation.requestBody?.content ? pickBody(operation.requestBody.content) : undefined;
      for (const parameter of parameters) {
        const property = freeName(parameter, properties, body !== undefined);
        properties[property] = withDescription(
          toToolSchema(
            parameter.schema ?? firstMedia(parameter.content)?.schema ?? { type: 'string' },
            openapi30,
          ),
          parameter.description,
        );
        if (parameter.required || parameter.in === 'path') required.push(property);
        bindings.push({ property, parameter });
      }
      let bodyBinding: BodyBinding | undefined;
      if (body) {
        const schema =
          body.encoding === 'text' ? { type: 'string' } : toToolSchema(body.media.schema ?? {}, openapi30);
        properties.body = withDescription(schema, operation.requestBody?.description);
        if (operation.requestBody?.required) required.push('body');
        bodyBinding = { property: 'body', mediaType: body.mediaType, encoding: body.encoding };
      }
      const description = [operation.summary, operation.description].filter(Boolean).join('\n\n');
      operations.push({
        tool: {
          name,
          ...(description ? { description } : {}),
          inputSchema: {
            type: 'object',
            properties,
            ...(required.length > 0 ? { required } : {}),
            additionalProperties: false,
          },
        },
        method,
        path,
        ...(operation.servers?.length
          ? { servers: operation.servers }
          : item.servers?.length
            ? { servers: item.servers }
            : {}),
        parameters: bindings,
        ...(bodyBinding ? { body: bodyBinding } : {}),
      });
    }
  }
  const missing = (only ?? []).filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new AdapterError(
      'document_invalid',
      `the OpenAPI document ${documentName} has no operation with the operationId ${missing.map((id) => `'${id}'`).join(', ')}`,
    );
  }
  return operations;
}

/** Path-level parameters, overridden by the operation's own of the same name and location; cookies are left out. */
function mergeParameters(
  shared: OpenApiParameter[] | undefined,
  own: OpenApiParameter[] | undefined,
): OpenApiParameter[] {
  const byKey = new Map<string, OpenApiParameter>();
  for (const parameter of [...(shared ?? []), ...(own ?? [])]) {
    if (!parameter || typeof parameter.name !== 'string' || parameter.in === 'cookie') continue;
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

/** The parameter's own name, or `<in>_<name>` when another location or the body already has it. */
function freeName(parameter: OpenApiParameter, taken: Record<string, unknown>, hasBody: boolean): string {
  const clash = (name: string) => name in taken || (hasBody && name === 'body');
  if (!clash(parameter.name)) return parameter.name;
  let name = `${parameter.in}_${parameter.name}`;
  for (let n = 2; clash(name); n++) name = `${parameter.in}_${parameter.name}_${n}`;
  return name;
}

function pickBody(content: Record<string, OpenApiMediaType>) {
  const types = Object.keys(content);
  const json = types.find((type) => /^application\/(.+\+)?json\b/i.test(type) || type === '*/*');
  const form = types.find((type) => /^application\/x-www-form-urlencoded\b/i.test(type));
  const mediaType = json ?? form ?? types[0];
  if (mediaType === undefined) return undefined;
  const encoding: BodyBinding['encoding'] =
    mediaType === json ? 'json' : mediaType === form ? 'form' : 'text';
  return {
    mediaType: mediaType === '*/*' ? 'application/json' : mediaType,
    encoding,
    media: content[mediaType] ?? {},
  };
}

function firstMedia(content: Record<string, OpenApiMediaType> | undefined): OpenApiMediaType | undefined {
  return content ? Object.values(content)[0] : undefined;
}

function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description && schema.description === undefined ? { ...schema, description } : schema;
}

/** An operationId made fit for a tool name (^[A-Za-z0-9_-]{1,64}$). */
export function sanitise(id: string): string {
  if (NAME_PATTERN.test(id)) return id;
  const name = id
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return name || 'operation';
}

/** `<method>_<path>` for an operation without an operationId: `get /pets/{id}` → `get_pets_id`. */
function synthesise(method: string, path: string): string {
  const name = `${method}_${path}`
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return name.slice(0, 64);
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) {
    const suffix = `_${n}`;
    name = base.slice(0, 64 - suffix.length) + suffix;
  }
  taken.add(name);
  return name;
}
