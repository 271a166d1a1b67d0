import type { NetworkPolicy, Resolver } from '@agentd/net-policy';
import type { AdapterConfig, ToolManifest } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import type { AdapterLogger } from './adapter-logger.js';
import type { BackoffMs } from './backoff-delay.js';
import { type BuiltinTool, createBuiltinAdapter } from './builtin-adapter.js';
import { createClientAdapter } from './client-adapter.js';
import { createHttpAdapter } from './http-adapter.js';
import { createMcpAdapter } from './mcp-adapter.js';
import { createOpenApiAdapter } from './openapi-adapter.js';
import type { SecretResolver, ToolAdapter } from './tool-adapter.js';

export interface CreateAdapterOptions {
  /** The manifest's directory: relative OpenAPI document paths and a stdio server's working directory. */
  baseDir?: string;
  resolveSecret?: SecretResolver;
  /** Replaces the HTTP client of HTTP and OpenAPI tools; only without a network policy. */
  fetch?: typeof fetch;
  /**
   * Where HTTP, OpenAPI and MCP-over-HTTP tools may connect: the server-wide
   * policy (from its typed configuration) for tenants' tools. Omitted, they may
   * connect anywhere, which only the operator's own manifests should.
   */
  networkPolicy?: NetworkPolicy;
  /** The DNS the network policy's checks use (tests). */
  resolver?: Resolver;
  maxResultBytes?: number;
  /** The built-in tools `builtin` manifests may name. */
  builtins?: ReadonlyMap<string, BuiltinTool>;
  restartBackoffMs?: BackoffMs;
  clientName?: string;
  logger?: AdapterLogger;
}

/** The adapter for a manifest, by `adapter.type`. */
export function createAdapter(manifest: ToolManifest, options: CreateAdapterOptions = {}): ToolAdapter {
  const { baseDir, resolveSecret, fetch, networkPolicy, resolver, maxResultBytes } = options;
  const network = {
    ...(fetch ? { fetch } : {}),
    ...(networkPolicy ? { networkPolicy } : {}),
    ...(resolver ? { resolver } : {}),
  };
  const http = {
    ...network,
    ...(resolveSecret ? { resolveSecret } : {}),
    ...(maxResultBytes === undefined ? {} : { maxResultBytes }),
  };
  const adapter = manifest.adapter;
  switch (adapter.type) {
    case 'http':
      return createHttpAdapter(withAdapter(manifest, adapter), http);
    case 'openapi':
      return createOpenApiAdapter(withAdapter(manifest, adapter), {
        ...http,
        ...(baseDir === undefined ? {} : { baseDir }),
      });
    case 'mcp':
      return createMcpAdapter(withAdapter(manifest, adapter), {
        ...network,
        ...(options.restartBackoffMs ? { restartBackoffMs: options.restartBackoffMs } : {}),
        ...(options.clientName ? { clientName: options.clientName } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        ...(baseDir === undefined ? {} : { cwd: baseDir }),
      });
    case 'client':
      return createClientAdapter(manifest);
    case 'builtin':
      return createBuiltinAdapter(withAdapter(manifest, adapter), options.builtins ?? new Map());
    default:
      throw new AdapterError(
        'not_configured',
        `the tool '${manifest.name}' has an unknown adapter type '${(adapter as { type: string }).type}'`,
      );
  }
}

function withAdapter<A extends AdapterConfig>(
  manifest: ToolManifest,
  adapter: A,
): ToolManifest & { adapter: A } {
  return { ...manifest, adapter };
}
