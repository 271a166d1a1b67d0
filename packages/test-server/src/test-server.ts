import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetworkPolicy } from '@agentd/net-policy';
import {
  type Config,
  createLogger,
  loadConfig,
  type RunningServer,
  type StartOptions,
  startServer,
} from '@agentd/server';
import { createTestDatabase, type TestDatabase } from '@agentd/testing';

export type Backend = 'pglite' | 'postgres';
export const BACKENDS: Backend[] = ['pglite', 'postgres'];

/**
 * What test servers allow tenants' tools to reach unless a test says
 * otherwise: the loopback, where the tests' own tool servers listen.
 */
const TEST_NET_ALLOW = '127.0.0.0/8, ::1, localhost';

export interface TestServer {
  url: string;
  adminKey: string;
  dataDir: string;
  config: Config;
  server: RunningServer;
  /** Every log line the server wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log text, to search for things that must never appear. */
  rawLogs(): string;
  /** Stops the server; keeps its data so that a restart can find it. */
  stop(): Promise<void>;
  /** Stops the server and removes its data. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  backend: Backend;
  /**
   * Configuration, as environment variables. AGENTD_NET_ALLOW defaults to
   * the loopback, where tests' tool servers listen; '' gives the production
   * default, which blocks it. AGENTD_CODE_INTERPRETER_PREWARM defaults to
   * off (interpreters boot on first use); tests of the prewarm set it to on.
   */
  env?: Record<string, string>;
  /** Reuse the storage of an earlier server (restart tests). */
  reuse?: { dataDir: string; database?: TestDatabase | undefined };
  /** Services to use instead of the configured ones (an embedder, an object store, ...). */
  overrides?: StartOptions['overrides'];
}

/** A real agentd server on an ephemeral port, on the given storage backend. */
export async function startTestServer(
  options: TestServerOptions,
): Promise<TestServer & { database?: TestDatabase }> {
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'agentd-test-'));
  const database =
    options.backend === 'postgres' ? (options.reuse?.database ?? (await createTestDatabase())) : undefined;
  const config = loadConfig({
    AGENTD_PORT: '0',
    AGENTD_DATA_DIR: dataDir,
    AGENTD_LOG_LEVEL: 'info',
    // Most tests never run code: no interpreter boots behind them unless a test turns prewarm on.
    AGENTD_CODE_INTERPRETER_PREWARM: 'off',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const chunks: string[] = [];
  const logger = createLogger(config.AGENTD_LOG_LEVEL, { write: (chunk: string) => void chunks.push(chunk) });
  // Tenants' tools may reach the tests' loopback servers; the built-in web tools keep the configured rules.
  const networkPolicy = new NetworkPolicy({
    server: {
      allow: options.env?.AGENTD_NET_ALLOW === undefined ? TEST_NET_ALLOW : config.AGENTD_NET_ALLOW,
      deny: config.AGENTD_NET_DENY,
    },
  });
  const server = await startServer(config, { logger, overrides: { networkPolicy, ...options.overrides } });
  const adminKey = config.AGENTD_ADMIN_KEY ?? readFileSync(server.admin.keyFile, 'utf8').trim();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    url: server.url,
    adminKey,
    dataDir,
    config,
    server,
    database,
    get logs() {
      return chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    rawLogs: () => chunks.join(''),
    stop,
    async close() {
      await stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
