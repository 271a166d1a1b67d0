import type { OpenApiAdapterConfig, ToolContext, ToolManifest, ToolResult } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { sendHttpRequest } from './http-request.js';
import { assertUrlAllowed, type NetworkOptions, networkFetch } from './network-access.js';
import { type LoadedOpenApiDocument, loadOpenApiDocument } from './openapi-document.js';
import { describeOperations, type OpenApiToolOperation } from './openapi-operations.js';
import { buildOpenApiRequest, type RequestAuth } from './openapi-request.js';
import { resolveServerUrl } from './openapi-server-url.js';
import { requireSecret } from './require-secret.js';
import type { SecretResolver, ToolAdapter } from './tool-adapter.js';

export interface OpenApiAdapterOptions extends NetworkOptions {
  /** The directory a relative document path is resolved against (the manifest's). */
  baseDir?: string;
  resolveSecret?: SecretResolver;
  maxResultBytes?: number;
}

interface Imported {
  loaded: LoadedOpenApiDocument;
  operations: Map<string, OpenApiToolOperation>;
}

/**
 * The operations of an OpenAPI 3 document as tools. The document is loaded on
 * first use; a load that fails is tried again on the next. Under a network
 * policy, fetching the document and its $refs, the server URLs (at import)
 * and every request are checked.
 */
export function createOpenApiAdapter(
  manifest: ToolManifest & { adapter: OpenApiAdapterConfig },
  options: OpenApiAdapterOptions = {},
): ToolAdapter {
  const config = manifest.adapter;
  if (config.auth && config.auth.type !== 'bearer' && !config.auth.name) {
    throw new AdapterError(
      'document_invalid',
      `the tool set '${manifest.name}' uses ${config.auth.type} auth, which needs adapter.auth.name`,
    );
  }
  const send = networkFetch(options);
  let importing: Promise<Imported> | undefined;

  const load = (): Promise<Imported> => {
    importing ??= (async () => {
      const loaded = await loadOpenApiDocument(config.document, {
        ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
        fetch: send,
      });
      const operations = describeOperations(loaded.document, config.operations, loaded.name);
      // Fail at import, not at the first call, when no base URL can be worked out or reached.
      const servers = new Set<string>();
      for (const operation of operations) {
        servers.add(
          resolveServerUrl(
            operation.servers ?? loaded.document.servers,
            config.server_url,
            loaded.url,
            loaded.name,
          ),
        );
      }
      for (const server of servers) {
        await assertUrlAllowed(server, options, `the tool set '${manifest.name}' (server ${server})`);
      }
      return { loaded, operations: new Map(operations.map((operation) => [operation.tool.name, operation])) };
    })();
    importing.catch(() => {
      importing = undefined;
    });
    return importing;
  };

  return {
    list: async () => [...(await load()).operations.values()].map((operation) => operation.tool),
    health: () => 'healthy',
    close: async () => undefined,
    async call(name: string, args: unknown, context: ToolContext): Promise<ToolResult> {
      const { loaded, operations } = await load();
      const operation = operations.get(name);
      if (!operation) {
        throw new AdapterError(
          'unknown_tool',
          `the tool set '${manifest.name}' has no operation named '${name}'`,
        );
      }
      let auth: RequestAuth | undefined;
      if (config.auth) {
        const value = await requireSecret(
          options.resolveSecret,
          config.auth.secret,
          `the tool '${name}' (auth)`,
        );
        auth = { type: config.auth.type, ...(config.auth.name ? { name: config.auth.name } : {}), value };
      }
      const server = resolveServerUrl(
        operation.servers ?? loaded.document.servers,
        config.server_url,
        loaded.url,
        loaded.name,
      );
      return sendHttpRequest(buildOpenApiRequest(operation, args, server, auth), {
        label: `the tool '${name}'`,
        signal: context.signal,
        secrets: auth ? [auth.value] : [],
        fetch: send,
        ...(options.maxResultBytes === undefined ? {} : { maxResultBytes: options.maxResultBytes }),
      });
    },
  };
}
