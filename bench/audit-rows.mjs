// What one audit row costs PostgreSQL to insert, by schema: the same rows
// (a run's tool-call events, 32 a statement through json_to_recordset, as
// agentd appends them) into audit_events variants on embedded PGlite (on
// the main thread; one table per variant in one data directory), so that the
// indexes and column types can be weighed one by one. Prints CPU µs per row
// (median of the rounds; variants alternate). No agentd code runs: the
// table definitions are written out here.
//
//   node bench/audit-rows.mjs [--rounds 5] [--rows 6400] [--batch 32] [--only a,b]

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const ROUNDS = Number(option('rounds', 5));
const ROWS = Number(option('rows', 6400));
const BATCH = Number(option('batch', 32));
const ONLY = option('only', undefined)?.split(',');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpuUs = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

const TABLE = (actor, payload, hash) => `CREATE TABLE @T (
  tenant_id text NOT NULL, sequence bigint NOT NULL CHECK (sequence >= 1), id text NOT NULL, type text NOT NULL,
  effective_at timestamptz NOT NULL, actor_id text, actor ${actor} NOT NULL, resource_type text, resource_id text,
  payload ${payload} NOT NULL, prev_hash ${hash} NOT NULL, hash ${hash} NOT NULL`;
const GIN = `CREATE INDEX @T_filter_keys_idx ON @T USING gin ((ARRAY[
  tenant_id || ' type ' || type, tenant_id || ' actor ' || actor_id, tenant_id || ' resource ' || resource_id]))`;
const GIN_ID = `CREATE INDEX @T_filter_keys_idx ON @T USING gin ((ARRAY[
  tenant_id || ' type ' || type, tenant_id || ' actor ' || actor_id, tenant_id || ' resource ' || resource_id,
  tenant_id || ' id ' || id]))`;
const TIME = 'CREATE INDEX @T_time_idx ON @T (tenant_id, effective_at)';
const FUNCTION = `CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'append-only'; END; $$`;
const TRIGGER = `CREATE TRIGGER @T_no_update_or_delete BEFORE UPDATE OR DELETE ON @T
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`;

/** Schema variants: the one in use (0016) first, then each with a part taken out or changed. */
const VARIANTS = {
  current: [
    `${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence), UNIQUE (tenant_id, id))`,
    GIN,
    TIME,
  ],
  noUniqueId: [`${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence))`, GIN, TIME],
  idInGin: [`${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence))`, GIN_ID, TIME],
  noTime: [
    `${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence), UNIQUE (tenant_id, id))`,
    GIN,
  ],
  noGin: [
    `${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence), UNIQUE (tenant_id, id))`,
    TIME,
  ],
  ginNoFastupdate: [
    `${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence), UNIQUE (tenant_id, id))`,
    `${GIN} WITH (fastupdate = off)`,
    TIME,
  ],
  pkOnly: [`${TABLE('json', 'json', 'text')}, PRIMARY KEY (tenant_id, sequence))`],
  pkOnlyText: [`${TABLE('text', 'text', 'text')}, PRIMARY KEY (tenant_id, sequence))`],
  heap: [`${TABLE('json', 'json', 'text')})`],
  currentBytea: [
    `${TABLE('json', 'json', 'bytea')}, PRIMARY KEY (tenant_id, sequence), UNIQUE (tenant_id, id))`,
    GIN,
    TIME,
  ],
};

const COLUMNS = `tenant_id, sequence, id, type, effective_at, actor_id, actor, resource_type, resource_id, payload,
  prev_hash, hash`;
const insertSql = `INSERT INTO @T (${COLUMNS}) SELECT ${COLUMNS} FROM
  json_to_recordset($1::json) AS r(tenant_id text, sequence bigint, id text, type text, effective_at timestamptz,
  actor_id text, actor json, resource_type text, resource_id text, payload json, prev_hash text, hash text)`;
const insertBytea = `INSERT INTO @T (${COLUMNS}) SELECT tenant_id, sequence, id, type, effective_at,
  actor_id, actor, resource_type, resource_id, payload, decode(prev_hash, 'hex'), decode(hash, 'hex') FROM
  json_to_recordset($1::json) AS r(tenant_id text, sequence bigint, id text, type text, effective_at timestamptz,
  actor_id text, actor json, resource_type text, resource_id text, payload json, prev_hash text, hash text)`;

let idCounter = 0;
const ulidish = () => `audit_01k${Date.now().toString(32)}${(++idCounter).toString(32).padStart(8, '0')}`;
const actor = { api_key: { id: 'key_01kbench0000000000000000', role: 'admin' }, type: 'api_key' };

/** `count` rows of one tenant from `sequence` on, as JSON for json_to_recordset. */
function rowsJson(tenantId, from, count) {
  const rows = [];
  for (let i = 0; i < count; i++) {
    const sequence = from + i;
    const started = sequence % 2 === 0;
    const payload = started
      ? {
          arguments: { a: 1, b: 2 },
          call_id: `call_${sequence}`,
          name: 'add',
          response_id: `resp_${sequence >> 3}`,
        }
      : {
          call_id: `call_${sequence}`,
          duration_ms: 1,
          name: 'add',
          response_id: `resp_${sequence >> 3}`,
          status: 'completed',
        };
    rows.push({
      tenant_id: tenantId,
      sequence,
      id: ulidish(),
      type: started ? 'tool_call.started' : 'tool_call.completed',
      effective_at: new Date().toISOString(),
      actor_id: actor.api_key.id,
      actor,
      resource_type: 'response',
      resource_id: `resp_${sequence >> 3}`,
      payload,
      prev_hash: randomBytes(32).toString('hex'),
      hash: createHash('sha256').update(String(sequence)).digest('hex'),
    });
  }
  return JSON.stringify(rows);
}

const names = Object.keys(VARIANTS).filter((name) => !ONLY || ONLY.includes(name));
const dir = mkdtempSync(join(tmpdir(), 'agentd-bench-audit-rows-'));
const next = {};
const db = await PGlite.create(dir);
const table = (name) => `audit_${name.toLowerCase()}`;
try {
  await db.exec(FUNCTION);
  for (const name of names) {
    for (const statement of [...VARIANTS[name], TRIGGER])
      await db.exec(statement.replaceAll('@T', table(name)));
    next[name] = 1;
  }
  const insertOf = (name) => (name.endsWith('Bytea') ? insertBytea : insertSql).replaceAll('@T', table(name));
  const walLsn = async () => (await db.query('SELECT pg_current_wal_insert_lsn() AS lsn')).rows[0].lsn;
  const walBytes = (from, to) => {
    const at = (lsn) => lsn.split('/').reduce((high, low) => high * 2 ** 32 + Number.parseInt(low, 16), 0);
    return at(to) - at(from);
  };
  /** Inserts `count` rows into a variant; its CPU time and WAL bytes. */
  const fill = async (name, count) => {
    const sql = insertOf(name);
    // Payloads made before the clock starts: only the database's work is timed.
    const batches = [];
    for (let at = 0; at < count; at += BATCH) {
      batches.push(rowsJson('tenant_bench', next[name], Math.min(BATCH, count - at)));
      next[name] += Math.min(BATCH, count - at);
    }
    const lsn = await walLsn();
    const before = cpuUs();
    for (const batch of batches) await db.query(sql, [batch]);
    const cpu = cpuUs() - before;
    return { cpu, wal: walBytes(lsn, await walLsn()) };
  };
  // Warm up: a table that already holds rows, as a server's does.
  for (const name of names) await fill(name, ROWS);
  // Small slices, the variants in a new order each time, so that the machine's load weighs on all alike.
  const SLICE = BATCH * 10;
  const totals = Object.fromEntries(names.map((name) => [name, { cpu: [], wal: 0, rows: 0 }]));
  for (let round = 0; round < ROUNDS; round++) {
    const cpu = Object.fromEntries(names.map((name) => [name, 0]));
    for (let slice = 0; slice < ROWS / SLICE; slice++) {
      const order = [...names].sort(() => Math.random() - 0.5);
      for (const name of order) {
        const result = await fill(name, SLICE);
        cpu[name] += result.cpu;
        totals[name].wal += result.wal;
        totals[name].rows += SLICE;
      }
    }
    for (const name of names) totals[name].cpu.push(cpu[name] / ROWS);
  }
  console.log(
    `CPU µs per audit row, ${BATCH} rows a statement, ${ROWS} rows a round in slices of ${SLICE}, median of ${ROUNDS} rounds`,
  );
  console.log('| schema | µs per row | against current | WAL bytes per row |');
  console.log('| --- | --- | --- | --- |');
  const base = median(totals[names[0]].cpu);
  for (const name of names) {
    const value = median(totals[name].cpu);
    const wal = totals[name].wal / totals[name].rows;
    console.log(`| ${name} | ${value.toFixed(1)} | ${(value - base).toFixed(1)} | ${wal.toFixed(0)} |`);
  }
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
