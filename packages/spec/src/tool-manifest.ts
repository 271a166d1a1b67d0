/**
 * The tool manifest: how a tool is described to agentd, whether it comes
 * from a tool directory, the /v1/tools API, or a built-in package. Its JSON
 * Schema is packages/tools-gateway/src/manifest/tool-manifest.schema.json,
 * served at GET /v1/tools/manifest-schema.
 */

export type JsonSchema = Record<string, unknown>;

export interface ToolCapability {
  /** A capability tag, e.g. `web.search` or `code.exec`. */
  name: string;
  /** How well this tool serves it, from 0 to 1; routing prefers the highest. */
  confidence: number;
}

export interface HttpAdapterConfig {
  type: 'http';
  url: string;
  method?: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE';
  headers?: Record<string, string>;
  /** Header name → the name of a stored secret whose value is sent in it. */
  secret_headers?: Record<string, string>;
}

export interface OpenApiAdapterConfig {
  type: 'openapi';
  /** The OpenAPI 3 document: a URL, a path relative to the manifest, or the document itself. */
  document: string | Record<string, unknown>;
  /** Overrides the document's first server URL. */
  server_url?: string;
  /** Only these operationIds become tools. */
  operations?: string[];
  auth?: { type: 'bearer' | 'header' | 'query'; name?: string; secret: string };
}

export type McpAdapterConfig = {
  type: 'mcp';
  /** Only these of the server's tools are offered. */
  allow?: string[];
} & (
  | { transport: 'stdio'; command: string; args?: string[]; env?: Record<string, string> }
  | { transport: 'http'; url: string; headers?: Record<string, string> }
);

export interface ClientAdapterConfig {
  type: 'client';
}

export interface BuiltinAdapterConfig {
  type: 'builtin';
  /** The built-in tool's name, e.g. `code_interpreter`. */
  tool: string;
}

export type AdapterConfig =
  | HttpAdapterConfig
  | OpenApiAdapterConfig
  | McpAdapterConfig
  | ClientAdapterConfig
  | BuiltinAdapterConfig;

export interface ToolManifest {
  name: string;
  description?: string;
  /** Required except for `openapi` and `mcp`, whose tools bring their own schemas. */
  input_schema?: JsonSchema;
  output_schema?: JsonSchema;
  capabilities?: ToolCapability[];
  adapter: AdapterConfig;
  timeout_ms?: number;
  /** Retries after a failure; only for tools marked idempotent. */
  retries?: number;
  idempotent?: boolean;
  /** The most calls of this tool in flight at once, in this process. */
  concurrency?: number;
  /** Pause the run for a human approval before each call. */
  requires_approval?: boolean;
}
