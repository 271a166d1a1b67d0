// Where one request's time goes inside agentd (issue 12, item 7): the
// benchmark's runs (bench/latency.mjs: a non-streamed run, and streamed runs
// against the zero-latency and the 2 ms/token model), one at a time, each
// stamped inside the server by bench/request-phases-preload.mjs (statements
// sent to the PGlite worker and their replies, the model call, timers armed,
// the answer's writes). Prints, for each kind of run, the stamps of its
// median request (by the time its answer finished), with the gap since the
// stamp before: a wait shows as a gap that no work fills.
//
//   node bench/request-phases.mjs [--runs N] [--root DIR] [--env JSON]
//
// --root DIR: a built checkout whose agentd is stamped instead of this one's.
// --env JSON: settings on top, e.g. '{"AGENTD_PGLITE_THREAD":"main"}' (no
// worker statements are stamped then).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnAgentd } from './spawn-agentd.mjs';

const option = (name) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 60);
const WARMUP = 20;
const ROOT = option('--root');
const EXTRA = JSON.parse(option('--env') ?? '{}');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const phasesBase = join(tmpdir(), `agentd-bench-phases-${process.pid}`);
process.env.AGENTD_BENCH_PHASES = phasesBase;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${new URL('./request-phases-preload.mjs', import.meta.url).pathname}`;

const KINDS = [
  ['non-streamed run, zero-latency model', { model: 'bench-model', stream: false }],
  ['streamed run, zero-latency model', { model: 'bench-model', stream: true }],
  ['streamed run, 2 ms/token model', { model: 'bench-slow', stream: true }],
];

async function main() {
  const upstream = spawn(process.execPath, [new URL('./upstreams.mjs', import.meta.url).pathname, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  const server = await spawnAgentd(
    {
      OPENAI_BASE_URL: model,
      OPENAI_API_KEY: 'bench',
      AGENTD_DEFAULT_MODEL: 'bench-model',
      AGENTD_CODE_INTERPRETER_PREWARM: 'off',
      // The path itself, not the safety hold-back (see bench/latency.mjs --hold-back).
      AGENTD_SAFETY_POLICY: JSON.stringify({ model_output: { hold_back: 0 } }),
      ...EXTRA,
    },
    ROOT ? { root: ROOT } : {},
  );
  const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
  const request = async (body) => {
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...body, input: 'What is 1 + 2?' }),
    });
    await response.text();
  };
  const loadBefore = loadavg()[0];
  const timelines = {};
  for (const [name, body] of KINDS) {
    for (let i = 0; i < WARMUP; i++) await request(body);
    const from = (await phases(server.child.pid)).length;
    for (let i = 0; i < RUNS; i++) await request(body);
    timelines[name] = (await phases(server.child.pid)).slice(from);
  }
  console.log(
    `\nagentd's request phases (embedded: PGlite${EXTRA.AGENTD_PGLITE_THREAD === 'main' ? ' on the main thread' : ''}), ${RUNS} requests of each kind one at a time; load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  );
  for (const [name, list] of Object.entries(timelines)) {
    const sorted = [...list].sort((a, b) => a.at(-1)[0] - b.at(-1)[0]);
    const median = sorted[Math.floor(sorted.length / 2)];
    if (!median) continue;
    console.log(`\n  ${name}: the median request (${sorted.length} stamped), ms since it arrived (gap)`);
    let before = 0;
    for (const [at, what] of median) {
      console.log(`  ${at.toFixed(2).padStart(8)} (${(at - before).toFixed(2).padStart(6)})  ${what}`);
      before = at;
    }
  }
  console.log('');
  server.child.stdin.end();
  await once(server.child, 'exit');
  rmSync(server.dataDir, { recursive: true, force: true });
  upstream.stdin.end();
  await once(upstream, 'exit');
}

/** The stamped requests of the agentd process `pid` so far (the preload keeps the last 1,000). */
async function phases(pid) {
  const file = `${phasesBase}.${pid}.json`;
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  while (!existsSync(file)) await sleep(20);
  await sleep(20);
  const list = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file, { force: true });
  return list;
}

await main();
