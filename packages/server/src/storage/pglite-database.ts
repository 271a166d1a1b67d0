import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Database, Queryable, SqlParam } from './database.js';
import { openPglite } from './pglite-open.js';
import { PgliteStatements } from './pglite-statements.js';
import type { WorkerError, WorkerReply, WorkerRequest } from './pglite-worker-protocol.js';
import { storableParams } from './storable-params.js';

const WORKER_URL = new URL('./pglite-worker.js', import.meta.url);

/** What a request sends: the protocol's request without its id. */
type Outgoing = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface PgliteOptions {
  /**
   * Shared buffers (PostgreSQL's page cache) in megabytes; PostgreSQL's default
   * is 128. Pages outside it are read through the WASM file system, which is
   * what makes a large HNSW index slow to search (ADR-0012).
   */
  buffersMb?: number;
  /**
   * Where its statements run: in a worker thread (the default), beside the
   * server's event loop, or on that thread, which saves the two hand-offs
   * between threads per statement and blocks the loop while one runs
   * (ADR-0040).
   */
  thread?: 'worker' | 'main';
}

/**
 * Embedded PostgreSQL (PGlite, WASM) with pgvector, in a worker thread so
 * that its statements run beside the server's event loop rather than on it
 * (ADR-0012), or on the server's thread (`thread: 'main'`). `dataDir`
 * undefined means in memory.
 */
export async function openPgliteDatabase(dataDir?: string, options: PgliteOptions = {}): Promise<Database> {
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const settings = options.buffersMb === undefined ? [] : ['-c', `shared_buffers=${options.buffersMb}MB`];
  if (options.thread === 'main') return new PgliteInThreadDatabase(await openPglite(dataDir, settings));
  const worker = new Worker(WORKER_URL, {
    workerData: { ...(dataDir === undefined ? {} : { dataDir }), settings },
  });
  const database = new PgliteWorkerDatabase(worker);
  await database.opened;
  return database;
}

class PgliteWorkerDatabase implements Database {
  readonly dialect = 'pglite' as const;
  readonly hasVector = true;
  readonly opened: Promise<void>;
  private readonly pending = new Map<
    number,
    { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private stopped: Error | undefined;

  constructor(private readonly worker: Worker) {
    // The worker keeps the process alive only while a request is waiting for it.
    worker.unref();
    this.opened = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
      worker.ref();
    });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) =>
      this.stop(new Error(`the embedded database failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => this.stop(new Error(`the embedded database stopped (exit code ${code})`)));
  }

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.request({ op: 'query', sql, params: storableParams(params) })) as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.request({ op: 'exec', sql });
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // A transaction is named by the id of its begin request.
    const tx = this.nextId++;
    await this.request({ op: 'begin' }, tx);
    const scoped: Queryable = {
      query: async <Row>(sql: string, params: readonly SqlParam[] = []) =>
        (await this.request({ op: 'query', sql, params: storableParams(params), tx })) as Row[],
      exec: async (sql: string) => {
        await this.request({ op: 'exec', sql, tx });
      },
    };
    let result: T;
    try {
      result = await fn(scoped);
    } catch (error) {
      await this.request({ op: 'rollback', tx }).catch(() => undefined);
      throw error;
    }
    await this.request({ op: 'commit', tx });
    return result;
  }

  async close(): Promise<void> {
    if (this.stopped) return;
    await this.request({ op: 'close' }).catch(() => undefined);
    this.stop(new Error('the embedded database is closed'));
    await this.worker.terminate();
  }

  private request(message: Outgoing, id = this.nextId++): Promise<unknown[]> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as WorkerRequest);
    });
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.rows ?? []);
    else waiting.reject(toError(reply.error));
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(this.stopped);
    this.pending.clear();
    this.worker.unref();
  }
}

/** PGlite on the server's thread: each statement is a call, no message, no copy of its rows. */
class PgliteInThreadDatabase implements Database {
  readonly dialect = 'pglite' as const;
  readonly hasVector = true;
  private readonly statements: PgliteStatements;
  private closed: Promise<void> | undefined;

  constructor(private readonly db: Awaited<ReturnType<typeof openPglite>>) {
    this.statements = new PgliteStatements(db);
  }

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    this.checkOpen();
    return (await this.statements.query(sql, storableParams(params))) as Row[];
  }

  async exec(sql: string): Promise<void> {
    this.checkOpen();
    this.statements.forgetAll();
    await this.db.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.checkOpen();
    return this.db.transaction((tx) =>
      fn({
        query: async <Row>(sql: string, params: readonly SqlParam[] = []) =>
          (await this.statements.queryIn(tx, sql, storableParams(params))) as Row[],
        exec: async (sql: string) => {
          this.statements.forgetAll();
          await tx.exec(sql);
        },
      }),
    );
  }

  close(): Promise<void> {
    this.closed ??= this.db.close();
    return this.closed;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the embedded database is closed');
  }
}

/** The worker's error with its fields (code, detail, ...), as PGlite would have thrown it here. */
function toError(described: WorkerError): Error {
  const error = new Error(described.message);
  Object.assign(error, described.fields);
  error.name = described.name;
  return error;
}
