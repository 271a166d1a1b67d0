// Opens PGlite with pgvector and agentd's start settings: in the worker
// thread (pglite-worker.js) or on the server's thread (pglite-database.ts).
// Plain JavaScript, because the worker imports it.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

/**
 * @param {string | undefined} dataDir undefined: in memory
 * @param {string[]} settings `-c name=value` settings for its start
 * @returns {Promise<PGlite>}
 */
export async function openPglite(dataDir, settings = []) {
  const db = await PGlite.create(dataDir, {
    extensions: { vector },
    ...(settings.length > 0 ? { startParams: [...PGlite.defaultStartParams, ...settings] } : {}),
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  return db;
}
