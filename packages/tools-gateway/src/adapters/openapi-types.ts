import type { JsonSchema } from '@agentd/spec';

/** The parts of an OpenAPI 3.0/3.1 document the adapter reads, after $refs are dereferenced. */

export interface OpenApiServer {
  url: string;
  variables?: Record<string, { default?: string }>;
}

export interface OpenApiMediaType {
  schema?: JsonSchema;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  content?: Record<string, OpenApiMediaType>;
  style?: string;
  explode?: boolean;
}

export interface OpenApiRequestBody {
  required?: boolean;
  description?: string;
  content?: Record<string, OpenApiMediaType>;
}

export interface OpenApiOperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: OpenApiParameter[];
  requestBody?: OpenApiRequestBody;
  servers?: OpenApiServer[];
}

export type OpenApiPathItem = {
  parameters?: OpenApiParameter[];
  servers?: OpenApiServer[];
} & Partial<Record<HttpMethod, OpenApiOperationObject>>;

export interface OpenApiDocument {
  openapi: string;
  servers?: OpenApiServer[];
  paths?: Record<string, OpenApiPathItem>;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
