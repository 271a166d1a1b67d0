// The audit write alone: the storage work of a run (its creation, a batch of
// progress events, its last batch) through ResponseRepository on embedded
// PGlite, with the audit log and without, 64 runs in flight, in one process
// with no HTTP and no model, so that only the writes differ. Prints the
// process's CPU time per run for each arm (median of the rounds; the arms
// alternate), which the run benchmark's CPU per run puts in proportion.
//
//   node bench/audit-writes.mjs [--quick] [--rounds 5] [--runs 1000]

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
const IN_FLIGHT = 64;
const TENANT = 'tenant_bench';
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
const principal = { tenantId: TENANT, subject: 'key_bench', method: 'api_key', role: 'admin' };

/** One run's writes: created, a batch of progress, the batch that completes it. */
async function oneRun(responses) {
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
      principal,
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
        sequence_number: 5,
      },
      { type: 'response.completed', response: done, sequence_number: 6 },
    ],
    done,
  );
}

async function measure(responses) {
  let next = 0;
  const before = cpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < RUNS) {
        next++;
        await oneRun(responses);
      }
    }),
  );
  return { cpuPerRun: (cpuMs() - before) / RUNS, perSecond: RUNS / ((performance.now() - started) / 1000) };
}

const dir = mkdtempSync(join(tmpdir(), 'agentd-bench-audit-writes-'));
const db = await openPgliteDatabase(dir);
try {
  await migrate(db);
  await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [TENANT, 'bench']);
  const arms = {
    audited: new ResponseRepository(db, new AuditLog(db)),
    unaudited: new ResponseRepository(db),
  };
  for (const repository of Object.values(arms)) for (let i = 0; i < 200; i++) await oneRun(repository);
  const cpu = { audited: [], unaudited: [] };
  const rate = { audited: [], unaudited: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['audited', 'unaudited'] : ['unaudited', 'audited'];
    for (const arm of order) {
      const result = await measure(arms[arm]);
      cpu[arm].push(result.cpuPerRun);
      rate[arm].push(result.perSecond);
    }
  }
  const on = median(cpu.audited);
  const off = median(cpu.unaudited);
  console.log(`a run's writes, ${IN_FLIGHT} in flight, ${RUNS} runs a round, median of ${ROUNDS} rounds`);
  console.log('| | audit on | audit off | difference |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| CPU ms per run (process, all threads) | ${on.toFixed(3)} | ${off.toFixed(3)} | ${(on - off).toFixed(3)} ms |`,
  );
  console.log(
    `| runs' writes per second | ${median(rate.audited).toFixed(0)} | ${median(rate.unaudited).toFixed(0)} | ${((1 - median(rate.audited) / median(rate.unaudited)) * 100).toFixed(1)} % fewer |`,
  );
  const [{ count }] = await db.query('SELECT count(*)::int AS count FROM audit_events WHERE tenant_id = $1', [
    TENANT,
  ]);
  console.log(`audit events written: ${count}`);
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
