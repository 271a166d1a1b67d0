import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
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
import type { Database } from './storage/database.js';

/** How runs travel between processes: the queue, the leases, live events and cancels. */
export interface RunBackbone {
  mode: 'embedded' | 'scaled';
  queue: RunQueue;
  leases: RunLeaseStore;
  bus: RunEventBus;
  cancels: RunCancels;
  /** This process's id as a lease holder. */
  owner: string;
  /** Embedded mode only: ends the leases a stopped process left, so its runs resume at once. */
  takeOverLeases?: () => Promise<void>;
  close(): Promise<void>;
}

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
    return {
      mode: 'embedded',
      queue,
      leases,
      bus,
      cancels,
      owner,
      takeOverLeases: () => takeOverLeases(db),
      close: async () => {
        await queue.close();
        await bus.close();
        await cancels.close();
      },
    };
  }
  const queue = await openGraphileRunQueue({ connectionString: config.DATABASE_URL, logger });
  const bus = await openRedisRunEventBus({ url: config.REDIS_URL, logger }).catch(async (error) => {
    await queue.close();
    throw error;
  });
  const cancels = await openRedisRunCancels({ url: config.REDIS_URL, logger }).catch(async (error) => {
    await queue.close();
    await bus.close();
    throw error;
  });
  return {
    mode: 'scaled',
    queue,
    leases,
    bus,
    cancels,
    owner,
    close: async () => {
      await queue.close();
      await bus.close();
      await cancels.close();
    },
  };
}
