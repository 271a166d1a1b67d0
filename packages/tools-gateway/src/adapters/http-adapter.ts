import type { HttpAdapterConfig, ToolContext, ToolManifest, ToolResult } from '@agentd/spec';
import { AdapterError } from './adapter-error.js';
import { sendHttpRequest } from './http-request.js';
import { manifestTool } from './manifest-tool.js';
import { mergeHeaders } from './merge-headers.js';
import { assertUrlAllowed, type NetworkOptions, networkFetch } from './network-access.js';
import { requireSecret } from './require-secret.js';
import type { SecretResolver, ToolAdapter } from './tool-adapter.js';

export interface HttpAdapterOptions extends NetworkOptions {
  resolveSecret?: SecretResolver;
  maxResultBytes?: number;
}

const ACCEPT = 'application/json, text/plain;q=0.9, */*;q=0.8';

/**
 * A tool served by one HTTP endpoint: the arguments go as a JSON body
 * (POST, PUT, PATCH) or as query parameters (GET, DELETE); the response body
 * is the result. Under a network policy, the URL is checked when the tool is
 * listed (registration) and every request when it is sent.
 */
export function createHttpAdapter(
  manifest: ToolManifest & { adapter: HttpAdapterConfig },
  options: HttpAdapterOptions = {},
): ToolAdapter {
  const config = manifest.adapter;
  const method = config.method ?? 'POST';
  const label = `the tool '${manifest.name}'`;
  const send = networkFetch(options);
  const tool = manifestTool(manifest);

  return {
    async list() {
      await assertUrlAllowed(config.url, options, label);
      return [tool];
    },
    health: () => 'healthy',
    close: async () => undefined,
    async call(name: string, args: unknown, context: ToolContext): Promise<ToolResult> {
      if (name !== manifest.name) {
        throw new AdapterError('unknown_tool', `${label} offers no tool named '${name}'`);
      }
      const secretHeaders: Record<string, string> = {};
      for (const [header, secret] of Object.entries(config.secret_headers ?? {})) {
        secretHeaders[header] = await requireSecret(
          options.resolveSecret,
          secret,
          `${label} (header ${header})`,
        );
      }
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      const headers = mergeHeaders(
        { accept: ACCEPT },
        withBody ? { 'content-type': 'application/json' } : undefined,
        config.headers,
        secretHeaders,
      );
      return sendHttpRequest(
        {
          url: withBody ? config.url : withQuery(config.url, args, label),
          method,
          headers,
          ...(withBody ? { body: JSON.stringify(args ?? {}) } : {}),
        },
        {
          label,
          signal: context.signal,
          secrets: Object.values(secretHeaders),
          fetch: send,
          ...(options.maxResultBytes === undefined ? {} : { maxResultBytes: options.maxResultBytes }),
        },
      );
    },
  };
}

/** Adds the arguments to the URL's query: arrays repeat the name, objects go as JSON, null is left out. */
function withQuery(base: string, args: unknown, label: string): string {
  if (args === undefined || args === null) return base;
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new AdapterError('bad_arguments', `${label} takes an object of arguments for its query`);
  }
  const url = new URL(base);
  for (const [name, value] of Object.entries(args)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      url.searchParams.append(name, typeof item === 'object' ? JSON.stringify(item) : String(item));
    }
  }
  return url.toString();
}
