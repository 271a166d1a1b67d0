import { AdapterError } from './adapter-error.js';
import type { HttpRequest } from './http-request.js';
import type { OpenApiToolOperation } from './openapi-operations.js';
import type { OpenApiParameter } from './openapi-types.js';

export interface RequestAuth {
  type: 'bearer' | 'header' | 'query';
  name?: string;
  value: string;
}

const ACCEPT = 'application/json, text/plain;q=0.9, */*;q=0.8';

/** Turns a tool call's arguments into the operation's request against a server URL. */
export function buildOpenApiRequest(
  operation: OpenApiToolOperation,
  args: unknown,
  serverUrl: string,
  auth: RequestAuth | undefined,
): HttpRequest {
  if (args !== undefined && args !== null && (typeof args !== 'object' || Array.isArray(args))) {
    throw new AdapterError('bad_arguments', `the tool '${operation.tool.name}' takes an object of arguments`);
  }
  const values = (args ?? {}) as Record<string, unknown>;
  let path = operation.path;
  const query: [string, string][] = [];
  const headers: Record<string, string> = { accept: ACCEPT };
  for (const { property, parameter } of operation.parameters) {
    const value = values[property];
    if (value === undefined || value === null) {
      if (parameter.in === 'path') {
        throw new AdapterError(
          'bad_arguments',
          `the tool '${operation.tool.name}' needs the path parameter '${parameter.name}'`,
        );
      }
      continue;
    }
    if (parameter.in === 'path') {
      path = path.split(`{${parameter.name}}`).join(encodeURIComponent(simple(value, parameter)));
    } else if (parameter.in === 'header') {
      headers[parameter.name] = simple(value, parameter);
    } else {
      query.push(...queryPairs(parameter, value));
    }
  }
  let body: string | undefined;
  const binding = operation.body;
  const bodyValue = binding ? values[binding.property] : undefined;
  if (binding && bodyValue !== undefined) {
    headers['content-type'] = binding.mediaType;
    body =
      binding.encoding === 'json'
        ? JSON.stringify(bodyValue)
        : binding.encoding === 'form'
          ? new URLSearchParams(formPairs(bodyValue)).toString()
          : typeof bodyValue === 'string'
            ? bodyValue
            : JSON.stringify(bodyValue);
  }
  if (auth?.type === 'bearer') headers.authorization = `Bearer ${auth.value}`;
  if (auth?.type === 'header' && auth.name) headers[auth.name] = auth.value;
  if (auth?.type === 'query' && auth.name) query.push([auth.name, auth.value]);
  const url = new URL(serverUrl.replace(/\/+$/, '') + path);
  for (const [name, value] of query) url.searchParams.append(name, value);
  return {
    url: url.toString(),
    method: operation.method.toUpperCase(),
    headers,
    ...(body === undefined ? {} : { body }),
  };
}

/** The `simple` style of path and header parameters: arrays and objects comma-separated. */
function simple(value: unknown, parameter: OpenApiParameter): string {
  if (parameter.content) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return parameter.explode
      ? entries.map(([key, item]) => `${key}=${String(item)}`).join(',')
      : entries.flat().map(String).join(',');
  }
  return String(value);
}

/** Query serialisation by style: form (exploded or not), spaceDelimited, pipeDelimited, deepObject. */
function queryPairs(parameter: OpenApiParameter, value: unknown): [string, string][] {
  const name = parameter.name;
  if (parameter.content) return [[name, JSON.stringify(value)]];
  const style = parameter.style ?? 'form';
  const explode = parameter.explode ?? style === 'form';
  if (Array.isArray(value)) {
    if (style === 'form' && explode) return value.map((item) => [name, scalar(item)]);
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ',';
    return [[name, value.map(scalar).join(separator)]];
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (style === 'deepObject') return entries.map(([key, item]) => [`${name}[${key}]`, scalar(item)]);
    if (explode) return entries.map(([key, item]) => [key, scalar(item)]);
    return [[name, entries.flat().map(scalar).join(',')]];
  }
  return [[name, scalar(value)]];
}

function formPairs(value: unknown): [string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]): [string, string][] =>
    Array.isArray(item)
      ? item.map((entry) => [key, scalar(entry)])
      : item === undefined
        ? []
        : [[key, scalar(item)]],
  );
}

function scalar(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
