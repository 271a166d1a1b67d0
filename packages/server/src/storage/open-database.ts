import { join } from 'node:path';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPostgresDatabase } from './postgres-database.js';

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  onError?: (error: Error) => void;
  /** PGlite's shared buffers, in megabytes: its page cache (PostgreSQL's default is 128). */
  pgliteBuffersMb?: number;
  /** Where PGlite's statements run: its worker thread (the default) or the server's thread. */
  pgliteThread?: 'worker' | 'main';
}

/** DATABASE_URL selects a PostgreSQL server; otherwise PGlite under the data directory. */
export function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgresDatabase(options.databaseUrl, options.onError ? { onError: options.onError } : {});
  }
  return openPgliteDatabase(pgliteDir(options.dataDir), {
    ...(options.pgliteBuffersMb === undefined ? {} : { buffersMb: options.pgliteBuffersMb }),
    ...(options.pgliteThread === undefined ? {} : { thread: options.pgliteThread }),
  });
}

export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}
