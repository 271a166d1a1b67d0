// Statements per run (issue 12, items 7 and 8): what one plain run costs the
// database, counted in the agentd processes themselves
// (bench/sql-count-preload.mjs), by statement. Embedded mode (one process,
// PGlite) and scaled mode (one API process and one worker on PostgreSQL and
// Redis), the zero-latency fake model, one run at a time after a warm-up.
// The counts do not depend on the machine's load.
//
//   node bench/statements.mjs [--runs N] [--in-flight N] [--before DIR]
//
// --before DIR: a built checkout of the code before a change, counted the
// same way, so the two are printed side by side.
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { option, startModel, startScaledPair } from './scaled-cluster.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';

const RUNS = Number(option('--runs', 50));
const IN_FLIGHT = Number(option('--in-flight', 1));
const BEFORE = option('--before');
const WARMUP = 5;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const countsBase = join(tmpdir(), `agentd-bench-sql-${process.pid}`);
process.env.AGENTD_BENCH_SQL_COUNTS = countsBase;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('./sql-count-preload.mjs', import.meta.url).pathname}`;

/** The statement counts of the processes `pids` so far, summed. */
async function counts(pids) {
  const total = {};
  for (const pid of pids) {
    const file = `${countsBase}.${pid}.json`;
    rmSync(file, { force: true });
    process.kill(pid, 'SIGUSR2');
    while (!existsSync(file)) await sleep(20);
    await sleep(20);
    for (const [sql, n] of Object.entries(JSON.parse(readFileSync(file, 'utf8')))) {
      total[sql] = (total[sql] ?? 0) + n;
    }
    rmSync(file, { force: true });
  }
  return total;
}

async function runs(proc, n) {
  let next = 0;
  const one = async () => {
    next++;
    const response = await fetch(`${proc.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${proc.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-model', input: 'What is 1 + 2?' }),
    });
    const body = await response.json();
    if (body.status !== 'completed') throw new Error(`run ended ${body.status}`);
  };
  await Promise.all(
    Array.from({ length: Math.min(IN_FLIGHT, n) }, async () => {
      while (next < n) await one();
    }),
  );
}

/** Statements per run by statement, sent by `pids` while `api` did RUNS runs. */
async function perRun(api, pids) {
  await runs(api, WARMUP);
  await sleep(300);
  const before = await counts(pids);
  await runs(api, RUNS);
  await sleep(300);
  const after = await counts(pids);
  return Object.fromEntries(
    Object.keys(after)
      .map((sql) => [sql, (after[sql] - (before[sql] ?? 0)) / RUNS])
      .filter(([, n]) => n > 0),
  );
}

function print(title, columns) {
  const how = IN_FLIGHT === 1 ? 'one at a time' : `${IN_FLIGHT} in flight`;
  console.log(`\n${title}: statements per run (${RUNS} runs, ${how})`);
  const sqls = [...new Set(columns.flatMap(([, c]) => Object.keys(c)))].sort();
  console.log(`  ${columns.map(([name]) => name.padStart(8)).join(' ')}  statement`);
  for (const sql of sqls) {
    console.log(`  ${columns.map(([, c]) => (c[sql] ?? 0).toFixed(2).padStart(8)).join(' ')}  ${sql}`);
  }
  const sum = (c) => Object.values(c).reduce((a, b) => a + b, 0);
  console.log(`  ${columns.map(([, c]) => sum(c).toFixed(2).padStart(8)).join(' ')}  in all`);
}

async function main() {
  const model = await startModel();
  const modelEnv = {
    ...model.env,
    AGENTD_CODE_INTERPRETER: 'off',
    AGENTD_BROWSER: 'off',
  };
  const roots = { now: undefined, ...(BEFORE ? { before: BEFORE } : {}) };
  const embedded = [];
  const scaled = [];
  for (const [name, root] of Object.entries(roots)) {
    const proc = await spawnAgentd(modelEnv, root ? { root } : {});
    embedded.push([name, await perRun(proc, [proc.child.pid])]);
    proc.child.stdin.end();
    await once(proc.child, 'exit');
    rmSync(proc.dataDir, { recursive: true, force: true });

    const { cluster, api, worker } = await startScaledPair(modelEnv, { root });
    const api1 = await perRun(api, [api.child.pid]);
    const worker1 = await perRun(api, [worker.child.pid]);
    scaled.push([`${name} api`, api1], [`${name} wkr`, worker1]);
    await cluster.close();
  }
  await model.close();
  print('embedded (PGlite)', embedded);
  print('scaled (API process and worker, PostgreSQL)', scaled);
  console.log('');
}

await main();
