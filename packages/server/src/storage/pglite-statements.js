// Named prepared statements for PGlite. PGlite's own query() sends every
// statement unnamed (Parse, Describe, Bind, Describe, Execute, Sync: six
// calls into PostgreSQL), so each call is parsed, analysed and planned anew:
// for the event-batch and insert statements of a run, with their CTEs, that
// was most of their CPU. Here a statement's text is parsed once into a named
// statement; each call after is one Bind, Execute, Sync. PostgreSQL replans
// a named statement when a table it reads changes (and after five calls keeps
// a generic plan when that is no dearer), as for any client that prepares.
// Plain JavaScript: the PGlite worker thread imports it (see pglite-worker.js).
import { parse, protocol } from '@electric-sql/pglite';

/** @typedef {import('@electric-sql/pglite').PGlite} PGlite */
/** @typedef {import('./database.js').SqlParam} SqlParam */
/** @typedef {Parameters<typeof parse.parseResults>[0]} BackendMessages */
/** @typedef {{ name: string, paramTypes: number[], head: BackendMessages }} Prepared */

const { serialize } = protocol;

/** The most statements kept prepared; the least recently used goes first. */
const MAX_PREPARED = 200;

/** Statements that are prepared: data reads and writes. Anything else (DDL, SET, ...) runs unnamed. */
const PREPARABLE = /^\s*(select|insert|update|delete|with|values)\b/i;

/** Statements after which a prepared statement's result columns may differ: every one is forgotten. */
const CHANGES_SCHEMA = /^\s*(create|alter|drop|comment|grant|revoke|reindex)\b/i;

export class PgliteStatements {
  /** @type {Map<string, Prepared>} by SQL text, least recently used first */
  #prepared = new Map();
  /** Named statements to close with the next Parse (evicted, or forgotten after a schema change). */
  /** @type {string[]} */
  #closing = [];
  #next = 1;

  /** @param {PGlite} db */
  constructor(db) {
    this.db = db;
  }

  /**
   * One statement outside any transaction: waits for PGlite's transaction
   * and query locks, as PGlite's own query() does.
   * @param {string} sql
   * @param {readonly SqlParam[]} params
   * @returns {Promise<unknown[]>}
   */
  async query(sql, params = []) {
    if (!PREPARABLE.test(sql)) {
      const rows = (await this.db.query(sql, [...params])).rows;
      if (CHANGES_SCHEMA.test(sql)) this.forgetAll();
      return rows;
    }
    await this.db._checkReady();
    return this.db._runExclusiveTransaction(() =>
      this.db._runExclusiveQuery(async () => {
        const rows = await this.#execute(sql, params);
        await this.db.syncToFs();
        return rows;
      }),
    );
  }

  /**
   * One statement inside the transaction `tx`, which holds PGlite's
   * transaction lock: waits for its query lock only.
   * @param {import('@electric-sql/pglite').Transaction} tx
   * @param {string} sql
   * @param {readonly SqlParam[]} params
   * @returns {Promise<unknown[]>}
   */
  async queryIn(tx, sql, params = []) {
    if (!PREPARABLE.test(sql)) {
      const rows = (await tx.query(sql, [...params])).rows;
      if (CHANGES_SCHEMA.test(sql)) this.forgetAll();
      return rows;
    }
    return this.db._runExclusiveQuery(() => this.#execute(sql, params));
  }

  /** After a script (exec) or DDL: no prepared statement is trusted to return what it did. */
  forgetAll() {
    for (const statement of this.#prepared.values()) this.#closing.push(statement.name);
    this.#prepared.clear();
  }

  /**
   * @param {string} sql
   * @param {readonly SqlParam[]} params
   * @returns {Promise<unknown[]>}
   */
  async #execute(sql, params) {
    const statement = this.#prepared.get(sql) ?? (await this.#prepare(sql));
    // Most recently used last.
    this.#prepared.delete(sql);
    this.#prepared.set(sql, statement);
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = this.db.serializers[statement.paramTypes[index] ?? 0];
      return serializer ? serializer(value) : value.toString();
    });
    const { messages } = await this.#send(
      [serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()],
      sql,
      params,
    );
    const [result] = parse.parseResults([...statement.head, ...messages], this.db.parsers);
    return result?.rows ?? [];
  }

  /**
   * Parses `sql` into a new named statement and learns its parameter types
   * and result columns; closes, in the same round, the statements waiting to
   * be closed. Kept only when all of it succeeded.
   * @param {string} sql
   * @returns {Promise<Prepared>}
   */
  async #prepare(sql) {
    const name = `agentd_${this.#next++}`;
    const closing = this.#closing;
    while (this.#prepared.size >= MAX_PREPARED) {
      const [oldest, statement] = this.#prepared.entries().next().value ?? [];
      if (oldest === undefined || !statement) break;
      this.#prepared.delete(oldest);
      closing.push(statement.name);
    }
    this.#closing = [];
    let messages;
    try {
      ({ messages } = await this.#send(
        [
          ...closing.map((closed) => serialize.close({ type: 'S', name: closed })),
          serialize.parse({ name, text: sql }),
          serialize.describe({ type: 'S', name }),
          serialize.sync(),
        ],
        sql,
        [],
      ));
    } catch (error) {
      // Closed or not, they are tried again with the next statement prepared.
      this.#closing.push(...closing);
      throw error;
    }
    const columns = messages.find((message) => message.name === 'rowDescription');
    return {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      head: columns ? [columns] : [],
    };
  }

  /**
   * One round into PostgreSQL; a statement's error carries its SQL and
   * parameters, as PGlite's query() would have thrown it.
   * @param {Uint8Array[]} parts
   * @param {string} sql
   * @param {readonly SqlParam[]} params
   */
  async #send(parts, sql, params) {
    try {
      return await this.db.execProtocol(concat(parts), { syncToFs: false });
    } catch (error) {
      if (error instanceof Error) Object.assign(error, { query: sql, params: [...params] });
      throw error;
    }
  }
}

/** @param {Uint8Array[]} parts */
function concat(parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const message = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}
