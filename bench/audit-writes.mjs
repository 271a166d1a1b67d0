// The audit write alone: the storage work of a run (its creation, a batch of
// progress events, its last batch) through ResponseRepository on embedded
// PGlite, with the audit log and without, 64 runs in flight, in one process
// with no HTTP and no model, so that only the writes differ. Prints the
// process's CPU time per run for each arm (median of the rounds; the arms
// alternate), which the run benchmark's CPU per run puts in proportion.
//
//   node bench/audit-writes.mjs [--quick] [--rounds 5] [--runs 1000] [--tools 3] [--in-flight 64]
//
// --before DIR: a third arm, audit on with the AuditLog and ResponseRepository
// of a built checkout of the code before a change (its packages/server/dist),
// on a database migrated by that checkout (so that a schema change, such as
// the audit table's indexes, is compared too). Every arm has its own database.
//
// --tools N: each run also makes N tool calls, each two batches (the call
// started, then completed with its output), as bench/audit.mjs's runs do:
// 2 + 2N audit events a run.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../packages/server/dist/audit/audit-log.js';
import { migrate, openPgliteDatabase } from '../packages/server/dist/index.js';
import { ResponseRepository } from '../packages/server/dist/responses/response-repository.js';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const quick = process.argv.includes('--quick');
const ROUNDS = option('rounds', quick ? 1 : 5);
const RUNS = option('runs', quick ? 200 : 1000);
const TOOLS = option('tools', 0);
const IN_FLIGHT = option('in-flight', 64);
const beforeIndex = process.argv.indexOf('--before');
const BEFORE = beforeIndex === -1 ? undefined : process.argv[beforeIndex + 1];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

let counter = 0;
const snapshot = (id, status) => ({
  id,
  object: 'response',
  created_at: Math.floor(Date.now() / 1000),
  completed_at: null,
  status,
  error: null,
  incomplete_details: null,
  instructions: null,
  model: 'bench-model',
  output: [],
  parallel_tool_calls: true,
  previous_response_id: null,
  conversation: null,
  agent: null,
  tools: [],
  tool_choice: 'auto',
  temperature: null,
  top_p: null,
  max_output_tokens: null,
  max_steps: 10,
  max_total_tokens: null,
  background: false,
  metadata: {},
  usage: null,
});
const principal = (tenantId) => ({ tenantId, subject: 'key_bench', method: 'api_key', role: 'admin' });

/** One run's writes: created, a batch of progress, the batch that completes it. */
async function oneRun({ responses, tenant: TENANT }) {
  const id = `resp_bench_${++counter}`;
  await responses.create(TENANT, {
    snapshot: snapshot(id, 'queued'),
    input: [
      { type: 'message', id: `msg_${counter}`, role: 'user', content: 'What is 1 + 2?', status: 'completed' },
    ],
    history: [],
    runSpec: {
      schema_version: 1,
      model: 'bench-model',
      instructions: null,
      tools: [],
      tool_refs: [],
      tool_choice: 'auto',
      settings: {},
      max_steps: 10,
      max_total_tokens: null,
      principal: principal(TENANT),
    },
    conversationId: null,
    previousResponseId: null,
    idempotencyKey: null,
    requestHash: null,
  });
  const progress = snapshot(id, 'in_progress');
  await responses.appendEvents(
    TENANT,
    id,
    [
      { type: 'response.in_progress', response: progress, sequence_number: 2 },
      { type: 'response.model_call.started', step: 1, model: 'bench-model', sequence_number: 3 },
      {
        type: 'response.output_text.delta',
        item_id: 'msg',
        output_index: 0,
        content_index: 0,
        delta: 'The answer is 3.',
        logprobs: [],
        sequence_number: 4,
      },
    ],
    progress,
  );
  let sequence = 5;
  for (let call = 1; call <= TOOLS; call++) {
    const callId = `call_${counter}_${call}`;
    await responses.appendEvents(
      TENANT,
      id,
      [
        {
          type: 'response.tool_call.started',
          item_id: `fc_${callId}`,
          call_id: callId,
          name: 'add',
          arguments: '{"a":1,"b":2}',
          sequence_number: sequence++,
        },
      ],
      progress,
    );
    await responses.appendEvents(
      TENANT,
      id,
      [
        {
          type: 'response.tool_call.completed',
          item_id: `fc_${callId}`,
          call_id: callId,
          name: 'add',
          status: 'completed',
          duration_ms: 1,
          sequence_number: sequence++,
        },
        {
          type: 'response.model_call.started',
          step: call + 1,
          model: 'bench-model',
          sequence_number: sequence++,
        },
      ],
      progress,
    );
  }
  const done = {
    ...snapshot(id, 'completed'),
    usage: { input_tokens: 20, output_tokens: 5, total_tokens: 25 },
  };
  await responses.appendEvents(
    TENANT,
    id,
    [
      {
        type: 'response.model_call.completed',
        step: 1,
        finish_reason: 'stop',
        usage: { input_tokens: 20, output_tokens: 5 },
        sequence_number: sequence,
      },
      { type: 'response.completed', response: done, sequence_number: sequence + 1 },
    ],
    done,
  );
}

async function measure(arm) {
  let next = 0;
  const before = cpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < RUNS) {
        next++;
        await oneRun(arm);
      }
    }),
  );
  return { cpuPerRun: (cpuMs() - before) / RUNS, perSecond: RUNS / ((performance.now() - started) / 1000) };
}

// Each arm has a database of its own, so that no arm's tables grow with another's rows.
const dirs = [];
const databases = [];
const openArmDb = async (open, migrateIt) => {
  const dir = mkdtempSync(join(tmpdir(), 'agentd-bench-audit-writes-'));
  dirs.push(dir);
  const armDb = await open(dir);
  databases.push(armDb);
  await migrateIt(armDb);
  return armDb;
};
try {
  const onDb = await openArmDb(openPgliteDatabase, migrate);
  const offDb = await openArmDb(openPgliteDatabase, migrate);
  const arms = {
    audited: {
      db: onDb,
      responses: new ResponseRepository(onDb, new AuditLog(onDb)),
      tenant: 'tenant_bench',
    },
    unaudited: { db: offDb, responses: new ResponseRepository(offDb), tenant: 'tenant_bench_off' },
  };
  if (BEFORE) {
    const dist = join(BEFORE, 'packages/server/dist');
    const old = {
      AuditLog: (await import(join(dist, 'audit/audit-log.js'))).AuditLog,
      ResponseRepository: (await import(join(dist, 'responses/response-repository.js'))).ResponseRepository,
      ...(await import(join(dist, 'index.js'))),
    };
    const beforeDb = await openArmDb(old.openPgliteDatabase, old.migrate);
    arms.before = {
      db: beforeDb,
      responses: new old.ResponseRepository(beforeDb, new old.AuditLog(beforeDb)),
      tenant: 'tenant_bench_before',
    };
  }
  const names = Object.keys(arms);
  for (const arm of Object.values(arms)) {
    await arm.db.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [arm.tenant]);
    for (let i = 0; i < 200; i++) await oneRun(arm);
  }
  const cpu = Object.fromEntries(names.map((name) => [name, []]));
  const rate = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const arm of order) {
      const result = await measure(arms[arm]);
      cpu[arm].push(result.cpuPerRun);
      rate[arm].push(result.perSecond);
    }
  }
  const on = median(cpu.audited);
  const off = median(cpu.unaudited);
  console.log(
    `a run's writes (${TOOLS} tool calls), ${IN_FLIGHT} in flight, ${RUNS} runs a round, median of ${ROUNDS} rounds`,
  );
  console.log('| | audit on | audit off | difference |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| CPU ms per run (process, all threads) | ${on.toFixed(3)} | ${off.toFixed(3)} | ${(on - off).toFixed(3)} ms |`,
  );
  console.log(
    `| runs' writes per second | ${median(rate.audited).toFixed(0)} | ${median(rate.unaudited).toFixed(0)} | ${((1 - median(rate.audited) / median(rate.unaudited)) * 100).toFixed(1)} % fewer |`,
  );
  if (BEFORE) {
    const before = median(cpu.before);
    const paired = median(cpu.audited.map((value, round) => value / cpu.before[round]));
    console.log(
      `| audit on, code before (--before) | ${before.toFixed(3)} ms CPU per run, ${median(rate.before).toFixed(0)} runs' writes/s | | this code ${((paired - 1) * 100).toFixed(1)} % CPU per run, paired by round |`,
    );
  }
  const [{ count }] = await arms.audited.db.query(
    'SELECT count(*)::int AS count FROM audit_events WHERE tenant_id = $1',
    [arms.audited.tenant],
  );
  console.log(`audit events written: ${count}`);
  for (const name of names) {
    const { valid } = await new AuditLog(arms[name].db).verify(arms[name].tenant);
    if (name !== 'unaudited' && !valid) throw new Error(`the ${name} arm's audit chain does not verify`);
  }
} finally {
  for (const armDb of databases) await armDb.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
