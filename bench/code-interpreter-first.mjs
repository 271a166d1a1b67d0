// The code interpreter's first call after a start, as a timeline: a fresh
// agentd process (its data directory already holding Pyodide's memory image,
// as after any earlier start), left alone 10 s, then "run python: print(1)"
// streamed (each server-sent event stamped as it arrives), then the same for
// CPython, then plain runs (no tool) for the base. Several starts, for the code
// before a change (--before DIR, a built checkout) and this one in turn.
//
//   node bench/code-interpreter-first.mjs [--starts N] [--before DIR] [--env K=V,K=V] [--data DIR]

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median, ms, printSplit, printTimeline, streamedTimeline } from './request-timeline.mjs';

const arg = (name) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const STARTS = Number(arg('--starts') ?? 4);
const BEFORE = arg('--before');
const AFTER_MS = Number(arg('--after-ms') ?? 10_000);
const EXTRA = Object.fromEntries(
  (arg('--env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=')),
);
// Fixed: a server restarted on a data directory keeps the admin key it was first given.
const ADMIN_KEY = 'bench-first-call-0123456789abcdef0123';
const CODE = { pyodide: 'run python: print(1)', cpython: '```cpython\nprint(1)\n```' };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An agentd process of `root` (this checkout by default); resolves once it listens. */
async function start(root, dataDir, env) {
  const script = join(
    root ?? new URL('..', import.meta.url).pathname,
    'bench',
    'code-interpreter-agentd.mjs',
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      script,
      JSON.stringify({
        AGENTD_PORT: '0',
        AGENTD_DATA_DIR: dataDir,
        AGENTD_LOG_LEVEL: 'silent',
        AGENTD_ADMIN_KEY: ADMIN_KEY,
        AGENTD_BROWSER: 'off',
        AGENTD_CODE_INTERPRETER_CPYTHON: 'on',
        ...env,
      }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = [];
  let wake;
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push({ ...JSON.parse(line), at: performance.now() - started });
    wake?.();
  });
  const next = async (key) => {
    for (;;) {
      const found = lines.find((line) => key in line);
      if (found) return found;
      await new Promise((resolve) => {
        wake = resolve;
      });
    }
  };
  const { url } = await next('url');
  return {
    url,
    key: ADMIN_KEY,
    started,
    ready: () => next('ready'),
    readyAt: () => lines.find((line) => 'ready' in line)?.at,
    /** The pools' stats, read fresh (each answer is taken off the lines once read). */
    async stats() {
      child.stdin.write('stats\n');
      const line = await next('pools');
      lines.splice(lines.indexOf(line), 1);
      return line.pools;
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const tools = [{ type: 'code_interpreter', container: { type: 'auto' } }];

async function poolsQuiet(agentd) {
  for (;;) {
    const pools = await agentd.stats();
    const quiet = (pool) => !pool || (pool.booting === 0 && pool.warm >= pool.target);
    if (quiet(pools.pyodide) && quiet(pools.cpython)) return;
    await sleep(200);
  }
}

async function oneStart(root, dataDir, env) {
  const agentd = await start(root, dataDir, env);
  try {
    await sleep(Math.max(0, AFTER_MS - (performance.now() - agentd.started)));
    const row = { readyMs: agentd.readyAt() };
    row.pyodide = await streamedTimeline(agentd, { model: 'scripted', input: CODE.pyodide, tools });
    row.cpython = await streamedTimeline(agentd, { model: 'scripted', input: CODE.cpython, tools });
    // The base once no pool boots: a refill's boot would slow the plain runs, not the calls measured.
    await poolsQuiet(agentd);
    const plain = [];
    for (let i = 0; i < 5; i++)
      plain.push((await streamedTimeline(agentd, { model: 'scripted', input: 'hello' })).end);
    row.plain = median(plain);
    row.firstPlain = plain[0];
    return row;
  } finally {
    await agentd.close();
  }
}

const arms = BEFORE ? { before: BEFORE, now: undefined } : { now: undefined };
const dirs = {};
// --data DIR: the data directories are DIR/<arm>, kept for the next run (seeded once).
const DATA = arg('--data');
for (const name of Object.keys(arms)) {
  if (DATA) {
    dirs[name] = join(DATA, name);
    if (existsSync(dirs[name])) continue;
    mkdirSync(dirs[name], { recursive: true });
  } else dirs[name] = mkdtempSync(join(tmpdir(), 'agentd-bench-ci-first-'));
  // The first start takes Pyodide's memory image and leaves it in the data directory: not measured.
  const seeding = await start(arms[name], dirs[name], name === 'now' ? EXTRA : {});
  await seeding.ready();
  await seeding.close();
}
const rows = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
/** Model call end -> tool start / the tool (server) / tool end -> next model call, for the per-start line. */
const parts = (row) =>
  [row['tool started'] - row['model 1 done'], row.toolMs, row['model 2 started'] - row['tool done']]
    .map((value) => (value === undefined || Number.isNaN(value) ? '-' : Math.round(value)))
    .join(' / ');
for (let i = 0; i < STARTS; i++) {
  for (const [name, root] of Object.entries(arms)) {
    rows[name].push(await oneStart(root, dirs[name], name === 'now' ? EXTRA : {}));
    const row = rows[name].at(-1);
    process.stderr.write(
      `  start ${i + 1} ${name}: pyodide ${ms(row.pyodide.end)} (${parts(row.pyodide)}), cpython ${ms(row.cpython.end)} (${parts(row.cpython)}), plain ${ms(row.plain)}, ready after ${ms(row.readyMs)}\n`,
    );
  }
}
if (!DATA) for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });

const names = Object.keys(arms);
console.log(
  `code interpreter, first call ${AFTER_MS / 1000} s after start: ${STARTS} starts, medians (${names.join(' | ')})`,
);
for (const runtime of ['pyodide', 'cpython']) {
  console.log(
    `${runtime} (${runtime === 'pyodide' ? 'the first call of the process' : 'after the Pyodide call'}):`,
  );
  const byArm = Object.fromEntries(names.map((name) => [name, rows[name].map((row) => row[runtime])]));
  printTimeline(byArm);
  printSplit(byArm);
}
for (const name of names) {
  const added = (runtime) => rows[name].map((row) => row[runtime].end - row.plain);
  const list = (values) => values.map((v) => Math.round(v)).join(', ');
  console.log(
    `  ${name}: added to a plain run, per start: pyodide ${list(added('pyodide'))} ms (p50 ${ms(median(added('pyodide')))}), cpython ${list(added('cpython'))} ms (p50 ${ms(median(added('cpython')))}); plain run p50 ${ms(median(rows[name].map((r) => r.plain)))}; pools ready after ${ms(median(rows[name].map((r) => r.readyMs)))}`,
  );
}
