import type { McpAdapterConfig, ToolContext, ToolManifest, ToolResult } from '@agentd/spec';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { AdapterError } from './adapter-error.js';
import type { AdapterLogger } from './adapter-logger.js';
import { type BackoffMs, backoffDelay } from './backoff-delay.js';
import { toToolResult } from './mcp-result.js';
import { createMcpTransport } from './mcp-transport.js';
import { assertUrlAllowed, type NetworkOptions, networkFetch, policyRefusal } from './network-access.js';
import type { AdapterTool, ToolAdapter } from './tool-adapter.js';

/** The network options apply to a server over Streamable HTTP; stdio is not network. */
export interface McpAdapterOptions extends NetworkOptions {
  /** Delays between restarts of a lost server; default 500 ms doubling up to 30 s. */
  restartBackoffMs?: BackoffMs;
  /** The client name the server sees; default `agentd`. */
  clientName?: string;
  logger?: AdapterLogger;
  /** The working directory of a stdio server (the manifest's directory). */
  cwd?: string;
  /** Time allowed to connect and list tools; default 30 s. */
  connectTimeoutMs?: number;
}

/** An MCP adapter can also be started ahead of its first use. */
export interface McpAdapter extends ToolAdapter {
  /** Connects and lists the tools; a no-op when connected. */
  start(): Promise<void>;
  onChange(listener: () => void): () => void;
}

/**
 * idle → starting → ready; a first connection that fails is `failed` and is
 * tried again on the next use; a ready server that is lost is `restarting`
 * (unavailable) until a backoff restart succeeds; `closed` is final.
 */
type Status = 'idle' | 'starting' | 'ready' | 'failed' | 'restarting' | 'closed';

const DEFAULT_BACKOFF: BackoffMs = { initial: 500, max: 30_000 };
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const TERMINATE_TIMEOUT_MS = 1_000;

/**
 * The tools of one MCP server, over stdio or Streamable HTTP, through the
 * official SDK client: listed and kept in sync with list_changed, and
 * restarted with backoff when the server crashes or its transport closes.
 */
export function createMcpAdapter(
  manifest: ToolManifest & { adapter: McpAdapterConfig },
  options: McpAdapterOptions = {},
): McpAdapter {
  const config = manifest.adapter;
  const label = `the MCP server '${manifest.name}'`;
  const backoff = options.restartBackoffMs ?? DEFAULT_BACKOFF;
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // The gateway's signal carries the real time-out; this only outlives it.
  const callTimeout = (manifest.timeout_ms ?? DEFAULT_CALL_TIMEOUT_MS) + 1_000;
  const allow = config.allow ? new Set(config.allow) : undefined;
  const listeners = new Set<() => void>();
  const logger = options.logger;
  const send = config.transport === 'http' ? networkFetch(options) : undefined;

  let status: Status = 'idle';
  let client: Client | undefined;
  /** A connection being made, so close() can stop it too. */
  let pending: Client | undefined;
  let connecting: Promise<void> | undefined;
  /** Bumped by every connection and by close(); events of an older one are stale. */
  let generation = 0;
  let attempt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let tools: AdapterTool[] = [];
  let refreshing: Promise<void> = Promise.resolve();

  const emit = () => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        logger?.warn?.(`${label}: a change listener failed: ${messageOf(error)}`);
      }
    }
  };

  async function listAll(from: Client): Promise<AdapterTool[]> {
    const out: AdapterTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await from.listTools(cursor === undefined ? {} : { cursor }, { timeout: connectTimeout });
      for (const tool of page.tools) {
        if (allow && !allow.has(tool.name)) continue;
        const description = tool.description ?? tool.title;
        out.push({
          name: tool.name,
          ...(description === undefined ? {} : { description }),
          inputSchema: tool.inputSchema,
          ...(tool.outputSchema === undefined ? {} : { outputSchema: tool.outputSchema }),
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async function connect(): Promise<void> {
    const gen = ++generation;
    const next = new Client({ name: options.clientName ?? 'agentd', version: '0.1.0' }, { capabilities: {} });
    let established = false;
    next.onclose = () => {
      if (established) lost(gen, 'its connection closed');
    };
    next.onerror = (error) => logger?.warn?.(`${label}: ${error.message}`);
    next.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      refreshing = refreshing.then(() => refresh(gen));
    });
    pending = next;
    try {
      // Checked up front too, so a refused URL is reported as such rather than as a failed start.
      if (config.transport === 'http') await assertUrlAllowed(config.url, options, label);
      const transport = createMcpTransport(config, {
        label,
        ...(logger ? { logger } : {}),
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(send ? { fetch: send } : {}),
      });
      await next.connect(transport, { timeout: connectTimeout });
      const listed = await listAll(next);
      if (gen !== generation) throw new AdapterError('server_unavailable', `${label} was closed`);
      tools = listed;
      client = next;
      status = 'ready';
      attempt = 0;
      established = true;
    } catch (error) {
      await next.close().catch(() => undefined);
      if (error instanceof AdapterError) throw error;
      const refusal = policyRefusal(error, `the connection to ${label}`);
      if (refusal) throw refusal;
      throw new AdapterError('server_unavailable', `${label} could not be started: ${messageOf(error)}`, {
        cause: error,
      });
    } finally {
      if (pending === next) pending = undefined;
    }
    // It may have gone between the listing and now, when its close was not yet ours to see.
    if (!next.transport) lost(gen, 'its connection closed');
  }

  async function refresh(gen: number): Promise<void> {
    const current = client;
    if (gen !== generation || !current) return;
    try {
      const listed = await listAll(current);
      if (gen !== generation) return;
      tools = listed;
      emit();
    } catch (error) {
      logger?.warn?.(`${label}: re-listing its tools failed: ${messageOf(error)}`);
    }
  }

  function lost(gen: number, why: string): void {
    if (gen !== generation || status !== 'ready') return;
    const dead = client;
    client = undefined;
    status = 'restarting';
    logger?.warn?.(`${label} is unavailable (${why}); restarting it`);
    void dead?.close().catch(() => undefined);
    emit();
    scheduleRestart();
  }

  function scheduleRestart(): void {
    const delay = backoffDelay(attempt++, backoff);
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (status !== 'restarting') return;
      connecting = connect()
        .then(
          () => {
            logger?.info?.(`${label} is back`);
            emit();
          },
          (error) => {
            if (status !== 'restarting') return;
            logger?.warn?.(`${label}: restart failed: ${messageOf(error)}`);
            scheduleRestart();
          },
        )
        .finally(() => {
          connecting = undefined;
        });
    }, delay);
    restartTimer.unref();
  }

  async function ensureConnected(signal?: AbortSignal): Promise<Client> {
    if (status === 'closed') throw new AdapterError('server_unavailable', `${label} is closed`);
    if (status === 'restarting') {
      throw new AdapterError('server_unavailable', `${label} is unavailable while it restarts`);
    }
    if (status === 'idle' || status === 'failed') {
      status = 'starting';
      connecting = connect()
        .catch((error: unknown) => {
          if (status === 'starting') status = 'failed';
          throw error;
        })
        .finally(() => {
          connecting = undefined;
        });
    }
    if (status === 'starting' && connecting) await untilAborted(connecting, signal);
    if (status !== 'ready' || !client)
      throw new AdapterError('server_unavailable', `${label} is unavailable`);
    return client;
  }

  return {
    async start() {
      await ensureConnected();
    },

    async list() {
      if (status === 'closed') return [];
      if (status === 'restarting') return tools;
      await ensureConnected();
      return tools;
    },

    health: () =>
      status === 'idle' || status === 'starting' || status === 'ready' ? 'healthy' : 'unavailable',

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async call(name: string, args: unknown, context: ToolContext): Promise<ToolResult> {
      if (allow && !allow.has(name)) {
        throw new AdapterError(
          'unknown_tool',
          `${label} offers no tool named '${name}' (not in its allow list)`,
        );
      }
      if (args !== undefined && args !== null && (typeof args !== 'object' || Array.isArray(args))) {
        throw new AdapterError('bad_arguments', `the tool '${name}' takes an object of arguments`);
      }
      context.signal.throwIfAborted();
      const current = await ensureConnected(context.signal);
      const gen = generation;
      try {
        const result = await current.callTool(
          { name, arguments: (args ?? {}) as Record<string, unknown> },
          undefined,
          { signal: context.signal, timeout: callTimeout },
        );
        return toToolResult(result);
      } catch (error) {
        // The SDK wraps the reason in an McpError; callers see the run's own reason, as with fetch.
        if (context.signal.aborted) throw context.signal.reason;
        const refusal = policyRefusal(error, `the connection to ${label}`);
        if (refusal) throw refusal;
        // An HTTP server that went away shows only in failed requests; its transport never closes.
        if (
          config.transport === 'http' &&
          (error instanceof StreamableHTTPError || error instanceof TypeError)
        ) {
          lost(gen, messageOf(error));
        }
        throw new AdapterError(
          'request_failed',
          `${label} failed the call to '${name}': ${messageOf(error)}`,
          {
            cause: error,
          },
        );
      }
    },

    async close() {
      status = 'closed';
      generation++;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = undefined;
      listeners.clear();
      const clients = [client, pending].filter((c): c is Client => c !== undefined);
      client = undefined;
      await Promise.all(clients.map(closeClient));
      await connecting?.catch(() => undefined);
    },
  };
}

async function closeClient(client: Client): Promise<void> {
  const transport = client.transport;
  if (transport instanceof StreamableHTTPClientTransport) {
    // Ends the server's session; a server that is gone must not hold up the close.
    await Promise.race([
      transport.terminateSession().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, TERMINATE_TIMEOUT_MS).unref()),
    ]);
  }
  await client.close().catch(() => undefined);
}

/** Waits for a promise, but no longer than the signal allows. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error.message + cause;
}
