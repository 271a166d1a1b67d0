/**
 * The RunQueue contract against both queues: the in-process one on
 * embedded PGlite, and graphile-worker on the PostgreSQL server (a fresh
 * database for this file; each test its own task name, so no test's jobs
 * reach another's consumers).
 */
import { randomBytes } from 'node:crypto';
import type { RunConsumer } from '@agentd/spec';
import { type MigratedDatabase, openMigratedDatabase } from '@agentd/test-server';
import { describeRunQueueContract } from '@agentd/testing';
import { afterAll, beforeAll } from 'vitest';
import {
  type GraphileRunConsumer,
  type LocalRunConsumer,
  LocalRunQueue,
  openGraphileRunQueue,
} from '../src/index.js';

const DISPATCH_GRACE_MS = 2_000;

let pglite: MigratedDatabase;
let postgres: MigratedDatabase;
beforeAll(async () => {
  [pglite, postgres] = await Promise.all([
    openMigratedDatabase('pglite'),
    openMigratedDatabase('postgres', { prefix: 'agentd_run_queue' }),
  ]);
});
afterAll(async () => {
  await Promise.all([pglite?.close(), postgres?.close()]);
});

describeRunQueueContract('LocalRunQueue (PGlite)', async () => {
  const queue = new LocalRunQueue(pglite.db, { dispatchGraceMs: DISPATCH_GRACE_MS });
  return {
    queue,
    sql: pglite.db,
    crash: (consumer: RunConsumer) => (consumer as LocalRunConsumer).crash(),
    close: () => queue.close(),
  };
});

describeRunQueueContract('GraphileRunQueue (PostgreSQL)', async () => {
  const queue = await openGraphileRunQueue({
    connectionString: postgres.url!,
    taskIdentifier: `agentd_run_${randomBytes(4).toString('hex')}`,
    dispatchGraceMs: DISPATCH_GRACE_MS,
    maxPoolSize: 20,
  });
  return {
    queue,
    sql: postgres.db,
    crash: (consumer: RunConsumer) => (consumer as GraphileRunConsumer).crash(),
    close: () => queue.close(),
  };
});
