// PGlite in a worker thread: the embedded database runs beside the server's
// event loop instead of on it (ADR-0012). Plain JavaScript, because Node
// starts a worker from a file (src/ under test, dist/ in production); it is
// type-checked through JSDoc. The protocol is in pglite-worker-protocol.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { openPglite } from './pglite-open.js';
import { PgliteStatements } from './pglite-statements.js';

/** @typedef {import('./pglite-worker-protocol.js').WorkerRequest} WorkerRequest */
/** @typedef {import('./pglite-worker-protocol.js').WorkerReply} WorkerReply */
/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */
/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */

if (!parentPort) throw new Error('pglite-worker.js runs only as a worker thread');
const port = parentPort;

/** @param {WorkerReply} reply */
const send = (reply) => port.postMessage(reply);

/**
 * An error as plain data: its message and its own fields (PostgreSQL's code,
 * detail, constraint, ...), which structured cloning would drop.
 * @param {unknown} error
 */
function describeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  /** @type {Record<string, string | number | boolean | null>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/**
 * @param {number} id
 * @param {() => Promise<unknown[] | undefined>} work
 */
async function answer(id, work) {
  try {
    const rows = await work();
    send(rows === undefined ? { id, ok: true } : { id, ok: true, rows });
  } catch (error) {
    send({ id, ok: false, error: describeError(error) });
  }
}

/** Requests for one open transaction, taken in order by the transaction's callback. */
class Inbox {
  /** @type {WorkerRequest[]} */
  #queue = [];
  /** @type {((request: WorkerRequest) => void) | undefined} */
  #waiting;

  /** @param {WorkerRequest} request */
  put(request) {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(request);
    } else {
      this.#queue.push(request);
    }
  }

  /** @returns {Promise<WorkerRequest>} */
  take() {
    const next = this.#queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }
}

/** Thrown inside the transaction's callback so that PGlite rolls it back. */
class Rollback extends Error {}

/** @type {Map<number, Inbox>} */
const transactions = new Map();

/**
 * Opens a transaction that stays open, holding PGlite's lock, until the main
 * thread commits or rolls it back; its statements arrive one by one.
 * @param {PGlite} db
 * @param {PgliteStatements} statements
 * @param {number} id the begin request's id, which names the transaction
 */
function begin(db, statements, id) {
  const inbox = new Inbox();
  transactions.set(id, inbox);
  /** @type {number | undefined} */
  let ending;
  db.transaction(async (tx) => {
    send({ id, ok: true });
    for (;;) {
      const request = await inbox.take();
      if (request.op === 'commit') {
        ending = request.id;
        return;
      }
      if (request.op === 'rollback') {
        ending = request.id;
        throw new Rollback();
      }
      await answer(request.id, () => run(statements, request, tx));
    }
  }).then(
    () => {
      transactions.delete(id);
      if (ending !== undefined) send({ id: ending, ok: true });
    },
    (error) => {
      transactions.delete(id);
      if (ending === undefined) return;
      send(
        error instanceof Rollback
          ? { id: ending, ok: true }
          : { id: ending, ok: false, error: describeError(error) },
      );
    },
  );
}

/**
 * @param {PgliteStatements} statements
 * @param {WorkerRequest} request
 * @param {Transaction} [tx] the open transaction it belongs to
 * @returns {Promise<unknown[] | undefined>}
 */
async function run(statements, request, tx) {
  if (request.op === 'query') {
    return tx
      ? statements.queryIn(tx, request.sql, request.params)
      : statements.query(request.sql, request.params);
  }
  if (request.op === 'exec') {
    // A script may change what a prepared statement returns (migrations).
    statements.forgetAll();
    await (tx ?? statements.db).exec(request.sql);
    return undefined;
  }
  throw new Error(`'${request.op}' is not a statement`);
}

/** @param {{ dataDir?: string, settings?: string[] }} data PGlite's data directory, and `-c name=value` settings for its start */
async function start(data) {
  let db;
  try {
    db = await openPglite(data.dataDir, data.settings);
  } catch (error) {
    send({ id: 0, ok: false, error: describeError(error) });
    return;
  }
  const open = db;
  const statements = new PgliteStatements(open);
  port.on('message', (/** @type {WorkerRequest} */ request) => {
    if (request.tx !== undefined) {
      const inbox = transactions.get(request.tx);
      if (inbox) inbox.put(request);
      else send({ id: request.id, ok: false, error: describeError(new Error('the transaction has ended')) });
      return;
    }
    if (request.op === 'begin') begin(open, statements, request.id);
    else if (request.op === 'close') void answer(request.id, async () => void (await open.close()));
    else void answer(request.id, () => run(statements, request));
  });
  send({ id: 0, ok: true });
}

await start(workerData ?? {});
