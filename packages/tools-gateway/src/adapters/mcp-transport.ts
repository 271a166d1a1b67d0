import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { McpAdapterConfig } from '@agentd/spec';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { AdapterLogger } from './adapter-logger.js';

export interface McpTransportOptions {
  /** The working directory of a stdio server (the manifest's directory). */
  cwd?: string;
  logger?: AdapterLogger;
  /** Names the server in log lines. */
  label: string;
  /** Sends the HTTP transport's requests (the adapter's, under its network policy). */
  fetch?: typeof fetch;
}

/**
 * The SDK transport for a manifest's server. A stdio server gets the
 * manifest's env and PATH, not this process's environment, which holds
 * secrets; its stderr goes to the logger line by line.
 */
export function createMcpTransport(config: McpAdapterConfig, options: McpTransportOptions): Transport {
  if (config.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      ...(config.headers ? { requestInit: { headers: config.headers } } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args ?? [],
    env: { PATH: process.env.PATH ?? '', ...config.env },
    stderr: 'pipe',
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  // Always drained, so a chatty server never blocks on a full pipe.
  const stderr = transport.stderr;
  if (stderr instanceof Readable) {
    const lines = createInterface({ input: stderr, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => options.logger?.info?.(`${options.label} stderr: ${line.slice(0, 500)}`));
  }
  return transport;
}
