/**
 * One contract for the `Database` interface, run against every
 * implementation: PGlite in memory, PGlite on disk (reopened to prove that
 * data outlives a handle) and a PostgreSQL server. Repositories are written
 * once against this interface, so whatever they rely on is checked here on
 * every backend, down to tenant scoping and keyset pagination.
 */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Item, PageQuery } from '@agentd/spec';
import { CreateAgentSchema } from '@agentd/spec/wire';
import { createTestDatabase } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentRepository } from '../src/agents/agent-repository.js';
import { ApiKeyRepository } from '../src/api-keys/api-key-repository.js';
import { loadConfig } from '../src/config/load-config.js';
import { ConversationRepository } from '../src/conversations/conversation-repository.js';
import { AgentdError } from '../src/errors.js';
import { newId } from '../src/ids.js';
import type { Database } from '../src/storage/database.js';
import {
  appliedMigrationVersion,
  latestMigrationVersion,
  loadMigrations,
  type Migration,
  migrate,
} from '../src/storage/migrate.js';
import { openPgliteDatabase } from '../src/storage/pglite-database.js';
import { openPostgresDatabase } from '../src/storage/postgres-database.js';
import { type Tenant, TenantRepository } from '../src/tenants/tenant-repository.js';

// ---------------------------------------------------------------------------
// What the migrations folder ships, read from the file names, independently of loadMigrations()
// ---------------------------------------------------------------------------

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const SHIPPED = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -'.sql'.length) }));
const SHIPPED_VERSIONS = SHIPPED.map((migration) => migration.version);

/** Every table the shipped migrations create, and the migration bookkeeping table. */
const SCHEMA_TABLES = [
  'agent_versions',
  'agents',
  'api_keys',
  'audit_chain_heads',
  'audit_events',
  'chunks',
  'conversation_items',
  'conversations',
  'embedding_cache',
  'file_upload_reservations',
  'files',
  'memories',
  'memory_consents',
  'policies',
  'policy_versions',
  'response_event_batches',
  'responses',
  'schema_migrations',
  'secrets',
  'signing_keys',
  'tenant_identity_providers',
  'tenant_limits',
  'tenant_network_rules',
  'tenant_policy_sets',
  'tenant_safety_settings',
  'tenants',
  'tools',
  'usage_records',
  'vector_store_file_batch_files',
  'vector_store_file_batches',
  'vector_store_files',
  'vector_stores',
];

// ---------------------------------------------------------------------------
// Backends
// ---------------------------------------------------------------------------

/** Storage opened for one group of tests: a first handle, and how to get more. */
interface TestStorage {
  db: Database;
  /** Closes every open handle and opens the same storage again. */
  reopen(): Promise<Database>;
  /** Opens one more handle on the same storage while the others stay open (a second process). */
  openAnother(): Promise<Database>;
  /** Closes every handle and removes the storage. */
  destroy(): Promise<void>;
}

interface BackendTraits {
  dialect: Database['dialect'];
  /** Whether the data outlives the handle, so that `reopen` finds it. */
  persistent: boolean;
  /** Whether several handles (processes) may use the storage at once, so that `openAnother` works. */
  sharedByHandles: boolean;
}

function unsupported(what: string): never {
  throw new Error(`${what} is not supported by this backend`);
}

async function closeAll(handles: Database[]): Promise<void> {
  for (const handle of handles.splice(0)) await handle.close();
}

const openPgliteInMemory = async (): Promise<TestStorage> => {
  const db = await openPgliteDatabase();
  return {
    db,
    reopen: () => unsupported('reopening an in-memory database'),
    openAnother: () => unsupported('a second handle on an in-memory database'),
    destroy: () => db.close(),
  };
};

const openPgliteOnDisk = async (): Promise<TestStorage> => {
  const root = mkdtempSync(join(tmpdir(), 'agentd-contract-'));
  const dir = join(root, 'pglite');
  const handles: Database[] = [];
  const open = async () => {
    const db = await openPgliteDatabase(dir);
    handles.push(db);
    return db;
  };
  let db: Database;
  try {
    db = await open();
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    db,
    async reopen() {
      await closeAll(handles);
      return open();
    },
    // PGlite is one process's database: a second handle on its directory would corrupt it.
    openAnother: () => unsupported('a second handle on a PGlite directory'),
    async destroy() {
      await closeAll(handles);
      rmSync(root, { recursive: true, force: true });
    },
  };
};

const openPostgres = async (): Promise<TestStorage> => {
  const database = await createTestDatabase('agentd_contract');
  const handles: Database[] = [];
  const open = async () => {
    const db = await openPostgresDatabase(database.url);
    handles.push(db);
    return db;
  };
  let db: Database;
  try {
    db = await open();
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    db,
    async reopen() {
      await closeAll(handles);
      return open();
    },
    openAnother: open,
    async destroy() {
      await closeAll(handles);
      await database.drop();
    },
  };
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

class Boom extends Error {
  constructor() {
    super('boom: the transaction body failed');
  }
}

/** Awaits `promise` and returns what it rejected with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

async function expectNotFound(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(AgentdError);
  expect(error).toMatchObject({ category: 'not_found', code });
}

const idsOf = (page: { data: Array<{ id: string }> }) => page.data.map((row) => row.id);

const ALL: PageQuery = { limit: 100, order: 'asc' };

function agentInput(name: string, instructions: string) {
  return CreateAgentSchema.parse({ name, instructions, metadata: { owner: name } });
}

function message(text: string): Item {
  return {
    type: 'message',
    id: newId('message'),
    role: 'user',
    content: [{ type: 'input_text', text }],
    status: 'completed',
  };
}

async function tablesIn(db: Database): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

async function migrationRows(db: Database): Promise<Array<{ version: number; name: string }>> {
  const rows = await db.query<{ version: number; name: string }>(
    'SELECT version, name FROM schema_migrations ORDER BY version',
  );
  return rows.map((row) => ({ version: Number(row.version), name: row.name }));
}

// ---------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------

function describeDatabaseContract(name: string, open: () => Promise<TestStorage>, traits: BackendTraits) {
  describe(`Database contract on ${name}`, () => {
    const opened: TestStorage[] = [];
    /** Fresh, empty storage, removed after the suite. */
    const fresh = async () => {
      const storage = await open();
      opened.push(storage);
      return storage;
    };
    afterAll(async () => {
      for (const storage of opened.splice(0)) await storage.destroy();
    });

    describe('statements', () => {
      let db: Database;
      beforeAll(async () => {
        db = (await fresh()).db;
      });

      it('names its dialect, and hasVector says whether pgvector is installed', async () => {
        expect(db.dialect).toBe(traits.dialect);
        const [row] = await db.query<{ installed: boolean }>(
          "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed",
        );
        expect(row?.installed).toBe(db.hasVector);
        if (db.hasVector) {
          const [distance] = await db.query<{ d: number }>(
            "SELECT '[1,2,3]'::vector <-> '[1,2,5]'::vector AS d",
          );
          expect(distance?.d).toBe(2);
        }
      });

      it('binds parameters of every SqlParam type and returns typed rows', async () => {
        const at = new Date('2024-02-29T12:34:56.789Z');
        const tricky = `it's "quoted"; DROP TABLE tenants; -- héllo 👋`;
        const rows = await db.query(
          `SELECT $1::text AS text, $2::int AS int, $3::float8 AS float, $4::bool AS yes, $5::bool AS no,
                  $6::text AS nothing, $7::timestamptz AS at, $8::bigint AS big, $2::int + 1 AS reused`,
          [tricky, 42, -1.25, true, false, null, at, 2 ** 40],
        );
        expect(rows).toHaveLength(1);
        const row = rows[0]!;
        expect(row).toMatchObject({
          text: tricky,
          int: 42,
          float: -1.25,
          yes: true,
          no: false,
          nothing: null,
          reused: 43,
        });
        expect(row.at).toBeInstanceOf(Date);
        expect((row.at as Date).toISOString()).toBe(at.toISOString());
        // bigint comes back as a number from PGlite and as a string from node-postgres;
        // repositories convert it with Number() or String(), so that is the contract.
        expect(Number(row.big)).toBe(2 ** 40);
        expect(String(row.big)).toBe('1099511627776');
      });

      it('runs statements without parameters, and returns [] when nothing matches', async () => {
        expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
        expect(await db.query('SELECT 1 AS one WHERE false')).toEqual([]);
      });

      it('filters, inserts and updates with parameters', async () => {
        await db.exec(
          'CREATE TABLE contract_params (id text PRIMARY KEY, n int NOT NULL, flag bool NOT NULL)',
        );
        for (const [id, n, flag] of [
          ['a', 1, true],
          ['b', 2, false],
          ['c', 3, true],
        ] as const) {
          const inserted = await db.query('INSERT INTO contract_params VALUES ($1, $2, $3) RETURNING id, n', [
            id,
            n,
            flag,
          ]);
          expect(inserted).toEqual([{ id, n }]);
        }
        const matching = await db.query(
          'SELECT id FROM contract_params WHERE n >= $1 AND flag = $2 ORDER BY id',
          [2, true],
        );
        expect(matching).toEqual([{ id: 'c' }]);
        const updated = await db.query(
          'UPDATE contract_params SET n = n * $1 WHERE id <> $2 RETURNING id, n',
          [10, 'b'],
        );
        expect(updated.sort((x, y) => String(x.id).localeCompare(String(y.id)))).toEqual([
          { id: 'a', n: 10 },
          { id: 'c', n: 30 },
        ]);
        // A parameter is a value, never SQL.
        expect(await db.query('SELECT id FROM contract_params WHERE id = $1', ["a' OR '1'='1"])).toEqual([]);
      });

      it('runs a multi-statement script with exec()', async () => {
        const result = await db.exec(`
          CREATE TABLE contract_exec (id int PRIMARY KEY, label text NOT NULL);
          INSERT INTO contract_exec VALUES (1, 'one');
          INSERT INTO contract_exec VALUES (2, 'two; still one value');
          UPDATE contract_exec SET label = label || '!' WHERE id = 1;
        `);
        expect(result).toBeUndefined();
        expect(await db.query('SELECT id, label FROM contract_exec ORDER BY id')).toEqual([
          { id: 1, label: 'one!' },
          { id: 2, label: 'two; still one value' },
        ]);
      });

      it('rejects a script whose statement fails, applying none of it', async () => {
        const error = await rejectionOf(
          db.exec(`
            CREATE TABLE contract_exec_broken (id int);
            INSERT INTO contract_exec_broken VALUES (1);
            SELECT 1 / 0;
          `),
        );
        expect(error).toMatchObject({ code: '22012' }); // division_by_zero
        const [row] = await db.query<{ found: string | null }>(
          "SELECT to_regclass('contract_exec_broken')::text AS found",
        );
        expect(row?.found).toBeNull();
      });

      it('commits a transaction whose body resolves, and returns its value', async () => {
        await db.exec('CREATE TABLE contract_tx (id int PRIMARY KEY, note text)');
        const result = await db.transaction(async (tx) => {
          await tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [1, 'first']);
          await tx.exec(
            "INSERT INTO contract_tx VALUES (2, 'second'); INSERT INTO contract_tx VALUES (3, 'third')",
          );
          const inside = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM contract_tx');
          return { seenInside: inside[0]?.n, value: 'done' };
        });
        expect(result).toEqual({ seenInside: 3, value: 'done' });
        expect(await db.query('SELECT id, note FROM contract_tx ORDER BY id')).toEqual([
          { id: 1, note: 'first' },
          { id: 2, note: 'second' },
          { id: 3, note: 'third' },
        ]);
      });

      it('rolls a transaction back when its body throws, and rethrows that very error', async () => {
        const boom = new Boom();
        const error = await rejectionOf(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [10, 'doomed']);
            await tx.exec("UPDATE contract_tx SET note = note || ' (changed)'");
            throw boom;
          }),
        );
        expect(error).toBe(boom);
        expect(await db.query('SELECT id, note FROM contract_tx ORDER BY id')).toEqual([
          { id: 1, note: 'first' },
          { id: 2, note: 'second' },
          { id: 3, note: 'third' },
        ]);
      });

      it('rolls a transaction back when one of its statements fails, with the database error', async () => {
        const error = await rejectionOf(
          db.transaction(async (tx) => {
            await tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [20, 'doomed']);
            await tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [1, 'duplicate of the first']);
          }),
        );
        expect(error).toMatchObject({ code: '23505' });
        expect(await db.query('SELECT id FROM contract_tx WHERE id = $1', [20])).toEqual([]);
      });

      it('stays usable after many rolled-back transactions (no leaked connection or open transaction)', async () => {
        for (let i = 0; i < 12; i++) {
          await expect(
            db.transaction(async (tx) => {
              await tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [100 + i, 'rolled back']);
              throw new Boom();
            }),
          ).rejects.toBeInstanceOf(Boom);
        }
        await db.transaction((tx) => tx.query('INSERT INTO contract_tx VALUES ($1, $2)', [4, 'fourth']));
        expect(await db.query('SELECT id FROM contract_tx ORDER BY id')).toEqual([
          { id: 1 },
          { id: 2 },
          { id: 3 },
          { id: 4 },
        ]);
      });

      it('runs concurrent transactions without losing a write', async () => {
        await db.exec(
          'CREATE TABLE contract_counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO contract_counter VALUES (1, 0)',
        );
        const results = await Promise.all(
          Array.from({ length: 8 }, () =>
            db.transaction(async (tx) => {
              const [row] = await tx.query<{ n: number }>(
                'UPDATE contract_counter SET n = n + 1 WHERE id = 1 RETURNING n',
              );
              return row?.n;
            }),
          ),
        );
        expect([...results].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await db.query('SELECT n FROM contract_counter')).toEqual([{ n: 8 }]);
      });

      it("surfaces a unique violation as error.code '23505', inside and outside a transaction", async () => {
        await db.exec('CREATE TABLE contract_unique (name text UNIQUE NOT NULL)');
        await db.query('INSERT INTO contract_unique VALUES ($1)', ['taken']);
        const outside = await rejectionOf(db.query('INSERT INTO contract_unique VALUES ($1)', ['taken']));
        expect(outside).toBeInstanceOf(Error);
        expect(outside).toMatchObject({ code: '23505' });
        const inside = await rejectionOf(
          db.transaction((tx) => tx.query('INSERT INTO contract_unique VALUES ($1)', ['taken'])),
        );
        expect(inside).toMatchObject({ code: '23505' });
        expect(await db.query('SELECT name FROM contract_unique')).toEqual([{ name: 'taken' }]);
      });

      it('round-trips objects and arrays through jsonb', async () => {
        await db.exec('CREATE TABLE contract_json (id int PRIMARY KEY, doc jsonb NOT NULL)');
        const object = {
          name: 'agent "x"',
          nested: { list: [1, 2.5, 'three', null, true, false], empty: {}, none: [] },
          unicode: 'ünïcödé ✓ 👋',
          newline: 'line one\nline two',
        };
        const array = [1, { a: 'b', c: [{ d: null }] }, [], 'x'];
        const returned = await db.query<{ doc: unknown }>(
          'INSERT INTO contract_json VALUES ($1, $2::jsonb), ($3, $4::jsonb) RETURNING doc',
          [1, JSON.stringify(object), 2, JSON.stringify(array)],
        );
        expect(returned.map((row) => row.doc)).toEqual([object, array]);
        const [byField] = await db.query<{ id: number; doc: unknown }>(
          "SELECT id, doc FROM contract_json WHERE doc->>'name' = $1",
          ['agent "x"'],
        );
        expect(byField).toEqual({ id: 1, doc: object });
        const [second] = await db.query<{ doc: unknown }>('SELECT doc FROM contract_json WHERE id = $1', [2]);
        expect(second?.doc).toEqual(array);
        expect(Array.isArray(second?.doc)).toBe(true);
        const [inTx] = await db.transaction((tx) =>
          tx.query<{ doc: unknown }>(
            'UPDATE contract_json SET doc = doc || $1::jsonb WHERE id = 1 RETURNING doc',
            [JSON.stringify({ added: { deep: [1] } })],
          ),
        );
        expect(inTx?.doc).toEqual({ ...object, added: { deep: [1] } });
      });

      it('stores text and JSON holding NUL and unpaired surrogates, with U+FFFD in their place', async () => {
        await db.exec(
          'CREATE TABLE contract_hostile (id int PRIMARY KEY, body text NOT NULL, doc jsonb, raw json)',
        );
        const hostile = `a\u0000b\uD800c\uDC00d 👋 \\u0000 kept`;
        const stored = 'a\uFFFDb\uFFFDc\uFFFDd 👋 \\u0000 kept';
        const doc = { 'k\u0000': [hostile, { deep: '\u0000' }], __proto__x: 'safe' };
        const [row] = await db.query<{ body: string; doc: unknown; raw: unknown }>(
          'INSERT INTO contract_hostile VALUES ($1, $2, $3::jsonb, $4::json) RETURNING body, doc, raw',
          [1, hostile, JSON.stringify(doc), JSON.stringify([hostile])],
        );
        expect(row?.body).toBe(stored);
        expect(row?.doc).toEqual({ 'k\uFFFD': [stored, { deep: '\uFFFD' }], __proto__x: 'safe' });
        expect(row?.raw).toEqual([stored]);
        // A path or cursor parameter holding NUL matches nothing instead of failing the statement.
        const none = await db.transaction((tx) =>
          tx.query('SELECT id FROM contract_hostile WHERE body = $1', ['\u0000']),
        );
        expect(none).toEqual([]);
      });

      it('returns timestamptz values as Dates', async () => {
        const before = Date.now();
        await db.exec(
          'CREATE TABLE contract_time (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())',
        );
        const given = new Date('1999-12-31T23:59:59.123Z');
        await db.query('INSERT INTO contract_time (id) VALUES ($1)', [1]);
        await db.query('INSERT INTO contract_time (id, at) VALUES ($1, $2)', [2, given]);
        const rows = await db.query<{ id: number; at: unknown }>(
          'SELECT id, at FROM contract_time ORDER BY id',
        );
        expect(rows.map((row) => row.at instanceof Date)).toEqual([true, true]);
        const defaulted = (rows[0]!.at as Date).getTime();
        // The server's clock, on this machine: within a minute of ours.
        expect(Math.abs(defaulted - before)).toBeLessThan(60_000);
        expect((rows[1]!.at as Date).toISOString()).toBe(given.toISOString());
        const [now] = await db.transaction((tx) => tx.query<{ now: unknown }>('SELECT now() AS now'));
        expect(now?.now).toBeInstanceOf(Date);
      });

      it('keeps a statement outside a transaction from seeing it, or writing into it, until it commits', async () => {
        await db.exec('CREATE TABLE contract_isolation (id int PRIMARY KEY)');
        let inside!: () => void;
        const held = new Promise<void>((resolve) => {
          inside = resolve;
        });
        let release!: () => void;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const transaction = db.transaction(async (tx) => {
          await tx.query('INSERT INTO contract_isolation (id) VALUES (1)');
          inside();
          await gate;
          throw new Error('roll it back');
        });
        await held;
        const outside = db.query('INSERT INTO contract_isolation (id) VALUES (2)');
        const seen = db.query<{ id: number }>('SELECT id FROM contract_isolation ORDER BY id');
        release();
        await expect(transaction).rejects.toThrow('roll it back');
        await outside;
        // Whether the reader waited for the transaction (PGlite) or read around it (PostgreSQL),
        // it never saw the uncommitted row, and the row written beside the transaction stayed.
        expect((await seen).map((row) => row.id)).not.toContain(1);
        const rows = await db.query<{ id: number }>('SELECT id FROM contract_isolation ORDER BY id');
        expect(rows.map((row) => row.id)).toEqual([2]);
      });
    });

    describe('closing', () => {
      it('refuses statements after close() with an error, rather than hanging', async () => {
        const storage = await open();
        await storage.db.query('SELECT 1');
        await storage.db.close();
        await expect(storage.db.query('SELECT 1')).rejects.toThrow();
        await expect(storage.db.transaction((tx) => tx.query('SELECT 1'))).rejects.toThrow();
        await storage.destroy().catch(() => undefined);
      });
    });

    describe('migrations', () => {
      let storage: TestStorage;
      let db: Database;
      beforeAll(async () => {
        storage = await fresh();
        db = storage.db;
      });

      it('ships migrations numbered 1..n, and latestMigrationVersion() is n', () => {
        expect(SHIPPED_VERSIONS.length).toBeGreaterThan(0);
        expect(SHIPPED_VERSIONS).toEqual(SHIPPED_VERSIONS.map((_, index) => index + 1));
        expect(loadMigrations().map((migration) => migration.version)).toEqual(SHIPPED_VERSIONS);
        expect(latestMigrationVersion()).toBe(SHIPPED_VERSIONS.at(-1));
      });

      it('applies pending migrations once each: first some, then the rest, then nothing', async () => {
        expect(await appliedMigrationVersion(db)).toBe(0);
        const all = loadMigrations();
        expect(await migrate(db, all.slice(0, 1))).toEqual([1]);
        expect(await appliedMigrationVersion(db)).toBe(1);
        expect(await migrate(db)).toEqual(SHIPPED_VERSIONS.slice(1));
        expect(await migrate(db)).toEqual([]);
        expect(await migrationRows(db)).toEqual(SHIPPED);
        expect(await appliedMigrationVersion(db)).toBe(latestMigrationVersion());
        expect(await tablesIn(db)).toEqual(SCHEMA_TABLES);
      });

      it('rolls back a migration that fails, leaving the applied version as it was', async () => {
        const broken: Migration = {
          version: latestMigrationVersion() + 1,
          name: 'broken',
          sql: 'CREATE TABLE contract_half_done (id int); SELECT 1 / 0;',
        };
        const error = await rejectionOf(migrate(db, [...loadMigrations(), broken]));
        expect(error).toMatchObject({ code: '22012' });
        expect(await appliedMigrationVersion(db)).toBe(latestMigrationVersion());
        expect(await migrationRows(db)).toEqual(SHIPPED);
        expect(await tablesIn(db)).toEqual(SCHEMA_TABLES);
      });

      if (traits.persistent) {
        it('keeps committed data and the schema version across a reopen, and drops rolled-back data', async () => {
          const tenants = new TenantRepository(db);
          const agents = new AgentRepository(db);
          const tenant = await tenants.create({ name: 'persisted', metadata: { plan: 'pro' } });
          const agent = await agents.create(tenant.id, agentInput('kept', 'Survive a restart.'));
          await expect(
            db.transaction(async (tx) => {
              await new TenantRepository(tx).create({ name: 'rolled-back' });
              throw new Boom();
            }),
          ).rejects.toBeInstanceOf(Boom);

          const reopened = await storage.reopen();
          db = reopened;
          expect(await appliedMigrationVersion(reopened)).toBe(latestMigrationVersion());
          expect(await migrate(reopened)).toEqual([]);
          expect(await migrationRows(reopened)).toEqual(SHIPPED);
          expect(await new TenantRepository(reopened).get(tenant.id)).toEqual(tenant);
          expect(await new AgentRepository(reopened).get(tenant.id, agent.id)).toEqual(agent);
          const names = await reopened.query<{ name: string }>('SELECT name FROM tenants ORDER BY name');
          expect(names).toEqual([{ name: 'persisted' }]);
        });
      }

      if (traits.sharedByHandles) {
        it('applies each migration exactly once when two handles migrate one fresh database at once', async () => {
          for (let round = 0; round < 3; round++) {
            const race = await fresh();
            const other = await race.openAnother();
            const results = await Promise.all([migrate(race.db), migrate(other)]);
            const union = results.flat().sort((a, b) => a - b);
            expect(union).toEqual(SHIPPED_VERSIONS);
            expect(new Set(union).size).toBe(union.length);
            const perVersion = await race.db.query<{ version: number; n: number }>(
              'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
            );
            expect(perVersion).toEqual(SHIPPED_VERSIONS.map((version) => ({ version, n: 1 })));
            expect(await appliedMigrationVersion(race.db)).toBe(latestMigrationVersion());
            expect(await appliedMigrationVersion(other)).toBe(latestMigrationVersion());
            expect(await tablesIn(other)).toEqual(SCHEMA_TABLES);
          }
        });
      }
    });

    describe('tenant scoping through the repositories', () => {
      let db: Database;
      let appliedOnFreshDatabase: number[];
      let tenantA: Tenant;
      let tenantB: Tenant;
      beforeAll(async () => {
        db = (await fresh()).db;
        appliedOnFreshDatabase = await migrate(db);
        const tenants = new TenantRepository(db);
        tenantA = await tenants.create({ name: 'tenant-a' });
        tenantB = await tenants.create({ name: 'tenant-b' });
      });

      it('starts from a fresh database that migrate() brought to the latest version', async () => {
        expect(appliedOnFreshDatabase).toEqual(SHIPPED_VERSIONS);
        expect(await appliedMigrationVersion(db)).toBe(latestMigrationVersion());
        expect(tenantA.id).not.toBe(tenantB.id);
        expect(await new TenantRepository(db).get(tenantA.id)).toEqual(tenantA);
      });

      it("keeps one tenant's agents out of another's reach", async () => {
        const agents = new AgentRepository(db);
        const agent = await agents.create(tenantA.id, agentInput('shared-name', 'Tenant A only.'));

        await expectNotFound(agents.get(tenantB.id, agent.id), 'agent_not_found');
        expect(await agents.findByName(tenantB.id, 'shared-name')).toBeUndefined();
        expect(idsOf(await agents.list(tenantB.id, ALL))).toEqual([]);
        await expectNotFound(
          agents.update(tenantB.id, agent.id, { instructions: 'Hijacked.' }),
          'agent_not_found',
        );
        await expectNotFound(agents.delete(tenantB.id, agent.id), 'agent_not_found');
        await expectNotFound(agents.listVersions(tenantB.id, agent.id, ALL), 'agent_not_found');
        await expectNotFound(agents.getVersion(tenantB.id, agent.id, 1), 'agent_not_found');

        // Tenant A's agent is untouched and fully reachable by A.
        expect(await agents.get(tenantA.id, agent.id)).toEqual(agent);
        expect(await agents.findByName(tenantA.id, 'shared-name')).toEqual(agent);
        expect(idsOf(await agents.list(tenantA.id, ALL))).toEqual([agent.id]);

        // Names are unique per tenant, not across tenants.
        const agentOfB = await agents.create(tenantB.id, agentInput('shared-name', 'Tenant B only.'));
        expect(agentOfB.id).not.toBe(agent.id);
        expect(idsOf(await agents.list(tenantB.id, ALL))).toEqual([agentOfB.id]);
        expect(idsOf(await agents.list(tenantA.id, ALL))).toEqual([agent.id]);

        const updated = await agents.update(tenantA.id, agent.id, { instructions: 'Tenant A, version 2.' });
        expect(updated).toMatchObject({ id: agent.id, version: 2, instructions: 'Tenant A, version 2.' });
        const versions = await agents.listVersions(tenantA.id, agent.id, ALL);
        expect(versions.data.map((version) => [version.version, version.instructions])).toEqual([
          [1, 'Tenant A only.'],
          [2, 'Tenant A, version 2.'],
        ]);
        expect(await agents.get(tenantB.id, agentOfB.id)).toMatchObject({
          version: 1,
          instructions: 'Tenant B only.',
        });

        await agents.delete(tenantA.id, agent.id);
        await expectNotFound(agents.get(tenantA.id, agent.id), 'agent_not_found');
        expect(await agents.get(tenantB.id, agentOfB.id)).toEqual(agentOfB);
      });

      it("keeps one tenant's conversations and items out of another's reach", async () => {
        const conversations = new ConversationRepository(db);
        const hello = message('hello from A');
        const conversation = await conversations.create(tenantA.id, { topic: 'secret' }, [hello]);
        const intruder = message('smuggled in by B');

        await expectNotFound(conversations.get(tenantB.id, conversation.id), 'conversation_not_found');
        expect(idsOf(await conversations.list(tenantB.id, ALL))).toEqual([]);
        await expectNotFound(
          conversations.update(tenantB.id, conversation.id, { topic: 'hijacked' }),
          'conversation_not_found',
        );
        await expectNotFound(
          conversations.addItems(tenantB.id, conversation.id, [intruder]),
          'conversation_not_found',
        );
        await expectNotFound(
          conversations.listItems(tenantB.id, conversation.id, ALL),
          'conversation_not_found',
        );
        await expectNotFound(
          conversations.getItem(tenantB.id, conversation.id, hello.id),
          'conversation_not_found',
        );
        await expectNotFound(
          conversations.deleteItem(tenantB.id, conversation.id, hello.id),
          'conversation_not_found',
        );
        await expectNotFound(conversations.delete(tenantB.id, conversation.id), 'conversation_not_found');

        // Nothing B tried changed A's conversation.
        expect(await conversations.get(tenantA.id, conversation.id)).toEqual(conversation);
        expect((await conversations.listItems(tenantA.id, conversation.id, ALL)).data).toEqual([hello]);
        expect(await conversations.getItem(tenantA.id, conversation.id, hello.id)).toEqual(hello);
        expect(idsOf(await conversations.list(tenantA.id, ALL))).toEqual([conversation.id]);

        const updated = await conversations.update(tenantA.id, conversation.id, { topic: 'renamed' });
        expect(updated).toEqual({ ...conversation, metadata: { topic: 'renamed' } });
        const reply = message('a reply from A');
        await conversations.addItems(tenantA.id, conversation.id, [reply]);
        expect((await conversations.listItems(tenantA.id, conversation.id, ALL)).data).toEqual([
          hello,
          reply,
        ]);
        await conversations.deleteItem(tenantA.id, conversation.id, hello.id);
        expect((await conversations.listItems(tenantA.id, conversation.id, ALL)).data).toEqual([reply]);
        await conversations.delete(tenantA.id, conversation.id);
        await expectNotFound(conversations.get(tenantA.id, conversation.id), 'conversation_not_found');
      });

      it("keeps one tenant's API keys out of another's reach", async () => {
        const keys = new ApiKeyRepository(db);
        const { value, ...key } = await keys.create(tenantA.id, { name: 'ci', role: 'member' });
        expect(value).toMatch(/^sk-agentd-/);
        expect(key.redacted_value).not.toContain(value);

        await expectNotFound(keys.get(tenantB.id, key.id), 'api_key_not_found');
        expect(idsOf(await keys.list(tenantB.id, ALL))).toEqual([]);
        await expectNotFound(keys.delete(tenantB.id, key.id), 'api_key_not_found');

        expect(await keys.get(tenantA.id, key.id)).toEqual(key);
        expect(idsOf(await keys.list(tenantA.id, ALL))).toEqual([key.id]);
        expect(await keys.findBySecret(value)).toEqual({ id: key.id, tenantId: tenantA.id, role: 'member' });

        await keys.delete(tenantA.id, key.id);
        await expectNotFound(keys.get(tenantA.id, key.id), 'api_key_not_found');
        expect(await keys.findBySecret(value)).toBeUndefined();
      });

      it('pages through agents with limit, after and order, returning every row exactly once', async () => {
        const tenants = new TenantRepository(db);
        const agents = new AgentRepository(db);
        const pager = await tenants.create({ name: 'pager' });
        const noise = await tenants.create({ name: 'noise' });
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          ids.push((await agents.create(pager.id, agentInput(`page-${i}`, `Agent ${i}.`))).id);
          // Another tenant's agents, created in between, must not show up or shift the pages.
          await agents.create(noise.id, agentInput(`noise-${i}`, 'Not on these pages.'));
        }
        for (const order of ['asc', 'desc'] as const) {
          for (const limit of [1, 2, 3, 7, 10]) {
            const seen: string[] = [];
            let after: string | undefined;
            let pages = 0;
            for (;;) {
              const page = await agents.list(pager.id, { limit, order, after });
              pages++;
              expect(page.object).toBe('list');
              expect(page.data.length).toBeLessThanOrEqual(limit);
              expect(page.first_id).toBe(page.data[0]?.id ?? null);
              expect(page.last_id).toBe(page.data.at(-1)?.id ?? null);
              seen.push(...idsOf(page));
              if (!page.has_more || pages > 20) break;
              after = page.last_id ?? undefined;
            }
            const expected = order === 'asc' ? ids : [...ids].reverse();
            expect({ order, limit, seen }).toEqual({ order, limit, seen: expected });
            expect({ order, limit, pages }).toEqual({ order, limit, pages: Math.ceil(ids.length / limit) });
          }
        }
      });
    });
  });
}

describeDatabaseContract('PGlite in memory', openPgliteInMemory, {
  dialect: 'pglite',
  persistent: false,
  sharedByHandles: false,
});
describeDatabaseContract('PGlite on disk', openPgliteOnDisk, {
  dialect: 'pglite',
  persistent: true,
  sharedByHandles: false,
});
describeDatabaseContract('PostgreSQL', openPostgres, {
  dialect: 'postgres',
  persistent: true,
  sharedByHandles: true,
});

describe('PGlite settings', () => {
  it('starts with the shared buffers it is given, and 256MB by default through the config', async () => {
    const small = await openPgliteDatabase(undefined, { buffersMb: 48 });
    try {
      expect(await small.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '48MB' }]);
    } finally {
      await small.close();
    }
    expect(loadConfig({}).AGENTD_PGLITE_BUFFERS_MB).toBe(256);
  });
});
