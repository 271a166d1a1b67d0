export { AdapterError, type AdapterErrorCode } from './adapters/adapter-error.js';
export type { AdapterLogger } from './adapters/adapter-logger.js';
export type { BackoffMs } from './adapters/backoff-delay.js';
export { type BuiltinTool, createBuiltinAdapter } from './adapters/builtin-adapter.js';
export { createClientAdapter } from './adapters/client-adapter.js';
export { type CreateAdapterOptions, createAdapter } from './adapters/create-adapter.js';
export { createHttpAdapter, type HttpAdapterOptions } from './adapters/http-adapter.js';
export { createMcpAdapter, type McpAdapter, type McpAdapterOptions } from './adapters/mcp-adapter.js';
export type { NetworkOptions } from './adapters/network-access.js';
export { createOpenApiAdapter, type OpenApiAdapterOptions } from './adapters/openapi-adapter.js';
export type { AdapterHealth, AdapterTool, SecretResolver, ToolAdapter } from './adapters/tool-adapter.js';
export { checkJsonSchema, type SchemaProblem } from './manifest/check-json-schema.js';
export {
  type LoadedManifest,
  loadToolDir,
  type RejectedManifest,
  readManifest,
  type ToolDirContents,
  watchToolDir,
} from './manifest/load-tool-dir.js';
export {
  formatProblems,
  type ManifestCheck,
  type ManifestProblem,
  TOOL_MANIFEST_SCHEMA,
  validateManifest,
} from './manifest/validate-manifest.js';
export { CircuitBreaker, type CircuitBreakerOptions } from './registry/circuit-breaker.js';
export { GatewayTool } from './registry/gateway-tool.js';
export {
  capabilityToolName,
  type ToolOrigin,
  type ToolReference,
  ToolRegistry,
  type ToolSource,
  UnknownToolError,
} from './registry/tool-registry.js';
