import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  closeRedisConnection,
  createRedisConnection,
  type GraphileRunQueue,
  GraphileTasks,
  InProcessRunCancels,
  InProcessRunEventBus,
  LocalRunQueue,
  openGraphileRunQueue,
  openRedisRunCancels,
  openRedisRunEventBus,
  RunLeaseStore,
  takeOverLeases,
} from '@agentd/runtime';
import type { RunCancels, RunEventBus, RunQueue } from '@agentd/spec';
import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import { memoryRateLimitStore, type RateLimitStore, redisRateLimitStore } from './limits/rate-limit-store.js';
import type { Database } from './storage/database.js';
import type { IngestionJob } from './vector-stores/ingestion-dispatch.js';
import { INGEST_TASK } from './vector-stores/queued-ingestion.js';

/** How runs travel between processes: the queue, the leases, live events and cancels. */
export interface RunBackbone {
  mode: 'embedded' | 'scaled';
  queue: RunQueue;
  leases: RunLeaseStore;
  bus: RunEventBus;
  cancels: RunCancels;
  /** Rate-limit and quota counters: in this process (embedded), or in Redis shared by every process (scaled). */
  rateLimits: RateLimitStore;
  /** This process's id as a lease holder. */
  owner: string;
  /** Embedded mode only: ends the leases a stopped process left, so its runs resume at once. */
  takeOverLeases?: () => Promise<void>;
  /** Scaled mode: background jobs for indexing files, on the same PostgreSQL queue as runs. */
  ingestionTasks?: GraphileTasks<IngestionJob>;
  /** What runs travel by, each `ok` or why not (for /readyz); none in embedded mode (all in-process). */
  checks(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** How long /readyz waits for the run queue's database before it calls it unreachable. */
const QUEUE_CHECK_MS = 2_000;

/**
 * Embedded mode (no REDIS_URL): an in-process queue over the database's
 * leases, an in-process bus and cancels. Scaled mode (DATABASE_URL and
 * REDIS_URL): graphile-worker on PostgreSQL dispatches runs; live events and
 * cancels travel over Redis.
 */
export async function openRunBackbone(config: Config, db: Database, logger: Logger): Promise<RunBackbone> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leases = new RunLeaseStore(db);
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    const queue = new LocalRunQueue(db, { logger });
    const bus = new InProcessRunEventBus({ logger });
    const cancels = new InProcessRunCancels({ logger });
    const rateLimits = memoryRateLimitStore();
    return {
      mode: 'embedded',
      queue,
      leases,
      bus,
      cancels,
      rateLimits,
      owner,
      takeOverLeases: () => takeOverLeases(db),
      checks: async () => ({}),
      close: async () => {
        await queue.close();
        await bus.close();
        await cancels.close();
        await rateLimits.close();
      },
    };
  }
  const prefix = config.AGENTD_REDIS_PREFIX;
  const queue = await openGraphileRunQueue({ connectionString: config.DATABASE_URL, logger });
  const bus = await openRedisRunEventBus({ url: config.REDIS_URL, prefix, logger }).catch(async (error) => {
    await queue.close();
    throw error;
  });
  const ingestionTasks = await GraphileTasks.open<IngestionJob>({
    connectionString: config.DATABASE_URL,
    task: INGEST_TASK,
    logger,
  }).catch(async (error: unknown) => {
    await queue.close();
    await bus.close();
    throw error;
  });
  const cancels = await openRedisRunCancels({ url: config.REDIS_URL, prefix, logger }).catch(
    async (error) => {
      await queue.close();
      await bus.close();
      await ingestionTasks.close();
      throw error;
    },
  );
  const limitsRedis = createRedisConnection(config.REDIS_URL, 'agentd-rate-limits', logger);
  const rateLimits = redisRateLimitStore(limitsRedis, prefix, () => closeRedisConnection(limitsRedis));
  return {
    mode: 'scaled',
    queue,
    leases,
    bus,
    cancels,
    rateLimits,
    owner,
    ingestionTasks,
    checks: async () => ({
      redis_events: bus.healthy ? 'ok' : 'unreachable',
      redis_cancels: cancels.healthy ? 'ok' : 'unreachable',
      run_queue: await queueCheck(queue),
    }),
    close: async () => {
      await queue.close();
      await bus.close();
      await cancels.close();
      await ingestionTasks.close();
      await rateLimits.close();
    },
  };
}

/** `ok` when the queue's own connections can read its jobs in time. */
async function queueCheck(queue: GraphileRunQueue): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('unreachable (no answer in time)'), QUEUE_CHECK_MS);
  });
  try {
    return await Promise.race([queue.depth().then(() => 'ok'), late]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
