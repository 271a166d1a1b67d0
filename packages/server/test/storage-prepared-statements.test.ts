/**
 * Embedded PGlite keeps each statement's text parsed as a named prepared
 * statement (pglite-statements.js): what a repository sees must not change.
 * Each case runs on PGlite (in its worker thread and on the server's thread)
 * and on a PostgreSQL server, which prepares nothing, as the reference.
 */
import { createTestDatabase } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/storage/database.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';

interface Opened {
  db: Database;
  destroy(): Promise<void>;
}

const backends: Array<[string, () => Promise<Opened>]> = [
  [
    'PGlite in its worker thread',
    async () => {
      const db = await openPgliteDatabase(undefined, { thread: 'worker' });
      return { db, destroy: () => db.close() };
    },
  ],
  [
    "PGlite on the server's thread",
    async () => {
      const db = await openPgliteDatabase(undefined, { thread: 'main' });
      return { db, destroy: () => db.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const database = await createTestDatabase('agentd_prepared');
      const db = await openPostgresDatabase(database.url);
      return {
        db,
        destroy: async () => {
          await db.close();
          await database.drop();
        },
      };
    },
  ],
];

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe.each(backends)('statements run again, on %s', (_name, open) => {
  let opened: Opened;
  let db: Database;
  beforeAll(async () => {
    opened = await open();
    db = opened.db;
    await db.exec(`CREATE TABLE prepared_items (id int PRIMARY KEY, name text, tags jsonb);
      INSERT INTO prepared_items SELECT n, 'item ' || n, jsonb_build_array(n) FROM generate_series(1, 20) n`);
  });
  afterAll(() => opened.destroy());

  it("returns the rows of each call's own parameters, past the point a generic plan is kept", async () => {
    const sql = 'SELECT id, name, tags FROM prepared_items WHERE id = $1 OR name = $2 ORDER BY id';
    for (let id = 1; id <= 12; id++) {
      expect(await db.query(sql, [id, id % 3 === 0 ? null : 'item 20'])).toEqual([
        { id, name: `item ${id}`, tags: [id] },
        ...(id % 3 === 0 ? [] : [{ id: 20, name: 'item 20', tags: [20] }]),
      ]);
    }
  });

  it("sees a table's new columns after a schema change, through exec() and through query()", async () => {
    const sql = 'SELECT * FROM prepared_items WHERE id = $1';
    expect(await db.query(sql, [1])).toEqual([{ id: 1, name: 'item 1', tags: [1] }]);
    await db.exec("ALTER TABLE prepared_items ADD COLUMN colour text NOT NULL DEFAULT 'red'");
    expect(await db.query(sql, [1])).toEqual([{ id: 1, name: 'item 1', tags: [1], colour: 'red' }]);
    await db.query('ALTER TABLE prepared_items DROP COLUMN tags');
    expect(await db.query(sql, [1])).toEqual([{ id: 1, name: 'item 1', colour: 'red' }]);
  });

  it('stays usable after a call fails, and a statement that cannot be parsed fails every time', async () => {
    const insert = 'INSERT INTO prepared_items (id, name) VALUES ($1, $2) RETURNING id';
    expect(await db.query(insert, [100, 'hundred'])).toEqual([{ id: 100 }]);
    expect(await rejectionOf(db.query(insert, [100, 'again']))).toMatchObject({ code: '23505' });
    expect(await db.query(insert, [101, 'hundred and one'])).toEqual([{ id: 101 }]);
    const broken = 'SELECT id FROM prepared_items WHERE id = $1 AND';
    for (let i = 0; i < 2; i++)
      expect(await rejectionOf(db.query(broken, [1]))).toMatchObject({ code: '42601' });
    expect(await db.query('SELECT count(*)::int AS n FROM prepared_items')).toEqual([{ n: 22 }]);
  });

  it('keeps statements first run in a transaction that rolled back, and refuses them in an aborted one', async () => {
    const update = 'UPDATE prepared_items SET name = $2 WHERE id = $1 RETURNING name';
    const failed = await rejectionOf(
      db.transaction(async (tx) => {
        expect(await tx.query(update, [2, 'renamed'])).toEqual([{ name: 'renamed' }]);
        await rejectionOf(tx.query('INSERT INTO prepared_items (id) VALUES ($1)', [1]));
        await tx.query(update, [3, 'never']);
      }),
    );
    expect(failed).toMatchObject({ code: '25P02' });
    expect(await db.query(update, [2, 'renamed at last'])).toEqual([{ name: 'renamed at last' }]);
    expect(await db.query('SELECT name FROM prepared_items WHERE id = $1', [3])).toEqual([
      { name: 'item 3' },
    ]);
  });

  it('answers hundreds of different statements, and the first of them again after', async () => {
    for (let n = 0; n < 260; n++) {
      expect(await db.query(`SELECT $1::int + ${n} AS sum`, [1])).toEqual([{ sum: n + 1 }]);
    }
    expect(await db.query('SELECT $1::int + 0 AS sum', [5])).toEqual([{ sum: 5 }]);
  });

  it('runs concurrent calls of one statement, in and out of transactions, each with its own rows', async () => {
    const sql = 'SELECT id, name FROM prepared_items WHERE id = $1';
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, index) =>
        index % 2 === 0 ? db.query(sql, [index + 1]) : db.transaction((tx) => tx.query(sql, [index + 1])),
      ),
    );
    expect(results.map((rows) => rows[0]?.id)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
  });
});
