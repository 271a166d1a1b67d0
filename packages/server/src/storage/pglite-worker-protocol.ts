/**
 * Messages between the server and its PGlite worker thread
 * (pglite-worker.js). Every request has an id, which its one reply carries; a
 * transaction is named by the id of its `begin`, and its statements, commit
 * and rollback carry that name as `tx`. Reply id 0 says the database is open
 * (or failed to open).
 */
import type { SqlParam } from './database.js';

export type WorkerRequest =
  | { id: number; op: 'query'; sql: string; params: readonly SqlParam[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin'; tx?: undefined }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close'; tx?: undefined };

/** An error as data: structured cloning would drop PostgreSQL's fields (code, detail, constraint). */
export interface WorkerError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

export type WorkerReply =
  | { id: number; ok: true; rows?: unknown[] }
  | { id: number; ok: false; error: WorkerError };
