import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { type AdminBootstrap, bootstrapAdmin } from './api-keys/bootstrap-admin.js';
import type { Config } from './config/schema.js';
import { createApp } from './http/app.js';
import { answerClientErrors } from './http/client-error.js';
import { createWorkerApp } from './http/worker-app.js';
import { startKnowledgeServices } from './knowledge-services.js';
import { createLogger } from './logging/logger.js';
import { startMetricsServer } from './metrics/metrics-server.js';
import { openRunBackbone, type RunBackbone } from './run-backbone.js';
import { loadMasterKey } from './secrets/master-key.js';
import { rewrapUnderCurrentKey } from './secrets/master-key-rotation.js';
import { createServices, type ServiceOverrides, type Services } from './services.js';
import { lockDataDir } from './storage/data-dir-lock.js';
import { migrate } from './storage/migrate.js';
import { openDatabase } from './storage/open-database.js';
import { VectorColumn } from './vector-stores/vector-column.js';

export interface RunningServer {
  url: string;
  port: number;
  /** Where /metrics is served when AGENTD_METRICS_PORT moves it off the API's port. */
  metricsPort?: number;
  services: Services;
  admin: AdminBootstrap;
  /** Migration versions this start applied. */
  migrated: number[];
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  overrides?: ServiceOverrides;
}

/** Opens storage, applies migrations, makes sure an admin key exists, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.AGENTD_LOG_LEVEL);
  const unlock = config.DATABASE_URL ? () => undefined : lockDataDir(config.AGENTD_DATA_DIR);
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  let backbone: RunBackbone | undefined;
  try {
    db = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.AGENTD_DATA_DIR,
      pgliteBuffersMb: config.AGENTD_PGLITE_BUFFERS_MB,
      pgliteThread: config.AGENTD_PGLITE_THREAD,
      onError: (error) => logger.error({ err: error }, 'database connection error'),
    });
    const migrated = await migrate(db);
    if (migrated.length > 0) logger.info({ versions: migrated }, 'applied migrations');
    const masterKey = loadMasterKey({
      configured: config.AGENTD_MASTER_KEY,
      dataDir: config.AGENTD_DATA_DIR,
      onGenerate: (file) => {
        if (config.DATABASE_URL) {
          logger.warn(
            { file },
            'generated a master key for secrets; set AGENTD_MASTER_KEY to the same value in every process',
          );
        }
      },
    });
    const vectors = await VectorColumn.detect(db, logger);
    backbone = await openRunBackbone(config, db, logger);
    const services = createServices(config, db, logger, backbone, {
      masterKey,
      vectors,
      ingestionTasks: backbone.ingestionTasks,
      ...options.overrides,
    });
    const reindexing = await startKnowledgeServices(db, services);
    if (reindexing > 0) logger.info({ files: reindexing }, 'resuming file indexing');
    if (config.AGENTD_MASTER_KEY_PREVIOUS) {
      rewrapUnderCurrentKey(services, logger).catch((error) =>
        logger.error({ err: error }, 'master key rotation failed; the previous keys are still needed'),
      );
    }
    const admin = await bootstrapAdmin(services.tenants, services.apiKeys, {
      adminKey: config.AGENTD_ADMIN_KEY,
      dataDir: config.AGENTD_DATA_DIR,
    });
    if (config.AGENTD_TOOL_DIR) await services.tools.watchDirectory(resolve(config.AGENTD_TOOL_DIR));
    services.runs.startWorker();
    if (config.AGENTD_ROLE !== 'api') services.ingestion.startWorking();
    if (backbone.mode === 'embedded') {
      // Embedded mode owns every run: resume what a stopped process left behind.
      const resumed = await services.runs.recover();
      if (resumed.length > 0) logger.info({ responses: resumed }, 'resuming interrupted runs');
    }
    // A worker serves only its probes: the API is the api processes' (AGENTD_ROLE).
    const app = config.AGENTD_ROLE === 'worker' ? createWorkerApp(services) : createApp(services);
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.AGENTD_PORT, hostname: config.AGENTD_HOST }, () =>
        resolve(s),
      );
      s.once('error', reject);
    });
    answerClientErrors(server as Server);
    const metricsServer =
      config.AGENTD_METRICS_PORT === undefined
        ? undefined
        : await startMetricsServer(config, services.metrics);
    // Listening first: the interpreters boot in the background, never delaying the start.
    // An api process never executes a tool: nothing to boot for it.
    if (config.AGENTD_ROLE !== 'api') void services.tools.builtins?.prewarm();
    const { port } = server.address() as AddressInfo;
    const host = config.AGENTD_HOST.includes(':') ? `[${config.AGENTD_HOST}]` : config.AGENTD_HOST;
    const openDb = db;
    const openBackbone = backbone;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      port,
      ...(metricsServer ? { metricsPort: metricsServer.port } : {}),
      services,
      admin,
      migrated,
      close: () => {
        closing ??= (async () => {
          // Scaled workers finish or hand back their runs within the drain time; embedded mode suspends
          // its runs at once, to resume them at the next start.
          const graceMs = openBackbone.mode === 'scaled' ? config.AGENTD_DRAIN_TIMEOUT_MS : 0;
          await services.runs.drain(graceMs);
          await openBackbone.close();
          await services.tools.close();
          await services.ingestion.close();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          });
          await metricsServer?.close();
          await openDb.close();
          // Spans of the runs and requests that just ended are sent before the process goes.
          await services.tracing?.flush().catch(() => undefined);
          unlock();
        })();
        return closing;
      },
    };
  } catch (error) {
    await backbone?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    unlock();
    throw error;
  }
}
