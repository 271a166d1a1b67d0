// The code interpreter's latency as a user sees it: POST /v1/responses with the
// scripted model ("run python: …", or a ```cpython block) against an agentd
// process (PGlite), for the earlier behaviour (pools boot on first use, fixed
// size) and the current one (prewarm at start, a pool that grows under a
// burst), side by side in one run. Figures are added latency: a call's time
// minus the median of plain runs (no tool) on the same server.
//
//   npm run bench                                      (after the run-loop benchmark)
//   node bench/code-interpreter.mjs [--quick]          after `npx tsc -b`
//   node bench/code-interpreter.mjs --quick --before DIR [--data DIR] [--one-burst]
//     the code of a built checkout DIR and this one, both restarted on a data directory that
//     holds the memory image (DIR/<arm> with --data, kept for the next run), server by server

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { printSplit, streamedTimeline } from './request-timeline.mjs';

const quick = process.argv.includes('--quick');
const PLAIN = quick ? 5 : 20;
const WARM = quick ? 5 : 20;
const BURST = 10;
const FIRST_CALL_AFTER_MS = 10_000;
// Fixed for the run: a restarted server does not show its key again.
const ADMIN_KEY = `bench-${randomBytes(16).toString('hex')}`;
const CODE = { pyodide: 'run python: print(1)', cpython: '```cpython\nprint(1)\n```' };

const ALL_VARIANTS = [
  { name: 'now, first start', env: {} },
  // The same data directory from here on: Pyodide boots from the memory image the first start saved,
  // as it did before issue 18's changes too, so the two compare like for like.
  {
    name: 'before (on first use, fixed pool)',
    env: { AGENTD_CODE_INTERPRETER_PREWARM: 'off', AGENTD_CODE_INTERPRETER_POOL_MAX: '0' },
    sameDataDir: true,
  },
  { name: 'now, restarted', env: {}, sameDataDir: true },
];
// --variants first,before,restarted (the default: all three): fewer, so that one run fits the bench lock.
const chosen = process.argv.includes('--variants')
  ? process.argv[process.argv.indexOf('--variants') + 1].split(',')
  : ['first', 'before', 'restarted'];
const BEFORE = process.argv.includes('--before')
  ? process.argv[process.argv.indexOf('--before') + 1]
  : undefined;
const ONE_BURST = process.argv.includes('--one-burst');
const DATA = process.argv.includes('--data') ? process.argv[process.argv.indexOf('--data') + 1] : undefined;
const VARIANTS = BEFORE
  ? [
      { name: 'before, restarted', env: {}, root: BEFORE, seed: true, dataName: 'before' },
      { name: 'now, restarted', env: {}, seed: true, dataName: 'now' },
    ]
  : ALL_VARIANTS.filter((_, i) => chosen.includes(['first', 'before', 'restarted'][i]));
if (!BEFORE && !chosen.includes('first')) VARIANTS[0] = { ...VARIANTS[0], sameDataDir: false, seed: true };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => (Number.isNaN(value) ? '-' : `${Math.round(value)} ms`);

/** An agentd process; `nextWith(key)` reads its next JSON line with that key. */
async function startAgentd(env, dataDir, root) {
  const child = spawn(
    process.execPath,
    [
      root
        ? join(root, 'bench', 'code-interpreter-agentd.mjs')
        : new URL('./code-interpreter-agentd.mjs', import.meta.url).pathname,
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
  // Each line goes to the first reader waiting for one of its keys, or waits for such a reader.
  const unread = [];
  const readers = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const value = JSON.parse(line);
    const reader = readers.findIndex((r) => r.key in value);
    if (reader === -1) unread.push(value);
    else readers.splice(reader, 1)[0].resolve(value);
  });
  /** The next line that has `key`. */
  const nextWith = (key) => {
    const index = unread.findIndex((value) => key in value);
    if (index !== -1) return Promise.resolve(unread.splice(index, 1)[0]);
    return new Promise((resolve) => readers.push({ key, resolve }));
  };
  const started = performance.now();
  const { url, key } = await nextWith('url');
  const listenedMs = performance.now() - started;
  return {
    url,
    key,
    listenedMs,
    nextWith,
    async stats() {
      child.stdin.write('stats\n');
      return (await nextWith('pools')).pools;
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function respond(agentd, input, conversation) {
  const started = performance.now();
  const response = await fetch(`${agentd.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentd.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'scripted',
      input,
      ...(conversation ? { conversation } : {}),
      tools: [{ type: 'code_interpreter', container: { type: 'auto' } }],
    }),
  });
  const body = await response.json();
  const elapsed = performance.now() - started;
  if (response.status !== 200 || body.status !== 'completed') {
    throw new Error(`${input}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
  const call = body.output.find((item) => item.type === 'code_interpreter_call');
  if (input !== 'hello' && call?.status !== 'completed')
    throw new Error(
      `${input}: the call did not complete: ${JSON.stringify(call ?? body.output).slice(0, 600)}`,
    );
  return elapsed;
}

async function conversation(agentd) {
  const response = await fetch(`${agentd.url}/v1/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentd.key}`, 'content-type': 'application/json' },
    body: '{}',
  });
  return (await response.json()).id;
}

/** Waits until both pools are full and nothing boots: a burst then starts from a quiet server. */
async function poolsQuiet(agentd) {
  for (;;) {
    const pools = await agentd.stats();
    const quiet = (pool) => pool !== null && pool.booting === 0 && pool.warm >= pool.target;
    if (quiet(pools.pyodide) && quiet(pools.cpython)) return;
    await sleep(200);
  }
}

const TOOLS = [{ type: 'code_interpreter', container: { type: 'auto' } }];

/**
 * Ten new conversations back to back, from a quiet pool: each one's first call, added. Streamed
 * (plain runs too), so that each call's time splits into its parts (printSplit).
 */
async function burst(agentd, runtime) {
  await poolsQuiet(agentd);
  // The plain run's time on the quiet server, just before the burst.
  const plain = [];
  for (let i = 0; i < 5; i++)
    plain.push((await streamedTimeline(agentd, { model: 'scripted', input: 'hello' })).end);
  const base = percentile(plain, 50);
  const samples = [];
  const timelines = [];
  for (let i = 0; i < BURST; i++) {
    const id = await conversation(agentd);
    const row = await streamedTimeline(agentd, {
      model: 'scripted',
      input: CODE[runtime],
      conversation: id,
      tools: TOOLS,
    });
    if (row['tool done'] === undefined) throw new Error(`${runtime}: the burst's call did not run`);
    timelines.push(row);
    samples.push(row.end - base);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), timelines };
}

async function measure(variant, dataDir) {
  const agentd = await startAgentd(variant.env, dataDir, variant.root);
  const result = { name: variant.name, listenedMs: agentd.listenedMs, readyMs: null };
  const started = performance.now() - agentd.listenedMs;
  void agentd.nextWith('ready').then(({ ready }) => {
    if (ready) result.readyMs = performance.now() - started;
  });
  try {
    await sleep(FIRST_CALL_AFTER_MS);
    result.first = {};
    for (const runtime of ['pyodide', 'cpython'])
      result.first[runtime] = await respond(agentd, CODE[runtime]);
    // Plain runs once no pool boots (a boot's CPU would slow them, not the calls measured against them),
    // taken turn about with the warm calls so that both see the same machine.
    await poolsQuiet(agentd);
    const plain = [];
    result.warm = {};
    const warm = { pyodide: [], cpython: [] };
    const ids = {};
    for (const runtime of ['pyodide', 'cpython']) {
      ids[runtime] = await conversation(agentd);
      await respond(agentd, CODE[runtime], ids[runtime]);
    }
    await poolsQuiet(agentd);
    for (let i = 0; i < Math.max(PLAIN, WARM); i++) {
      plain.push(await respond(agentd, 'hello'));
      for (const runtime of ['pyodide', 'cpython'])
        warm[runtime].push(await respond(agentd, CODE[runtime], ids[runtime]));
    }
    const base = percentile(plain, 50);
    result.plainP50 = base;
    for (const runtime of ['pyodide', 'cpython']) {
      result.first[runtime] -= base;
      result.warm[runtime] = percentile(warm[runtime], 50) - base;
    }
    result.burst = {};
    result.again = {};
    for (const runtime of ['pyodide', 'cpython']) {
      result.burst[runtime] = await burst(agentd, runtime);
      // A second burst, once the pool refilled to the size the first one taught it (--one-burst: none).
      result.again[runtime] = ONE_BURST
        ? { p50: Number.NaN, p95: Number.NaN, timelines: [] }
        : await burst(agentd, runtime);
    }
    result.pools = await agentd.stats();
  } finally {
    await agentd.close();
  }
  return result;
}

function report(results) {
  const rows = [
    ['', ...results.map((r) => r.name)],
    ['server listening after', ...results.map((r) => ms(r.listenedMs))],
    [
      'pools warm ("code interpreter ready") after',
      ...results.map((r) => (r.readyMs === null ? 'on first use' : ms(r.readyMs))),
    ],
    ['plain run (no tool), p50', ...results.map((r) => ms(r.plainP50))],
  ];
  for (const runtime of ['pyodide', 'cpython']) {
    rows.push(
      [`${runtime}: first call 10 s after start, added`, ...results.map((r) => ms(r.first[runtime]))],
      [`${runtime}: warm call, added p50 (target <= 20 ms)`, ...results.map((r) => ms(r.warm[runtime]))],
      [
        `${runtime}: burst of ${BURST} new conversations, added p50 / p95 (target <= 300 ms / 1 s)`,
        ...results.map((r) => `${ms(r.burst[runtime].p50)} / ${ms(r.burst[runtime].p95)}`),
      ],
      [
        `${runtime}: the next burst (pool sized by the first), added p50 / p95`,
        ...results.map((r) => `${ms(r.again[runtime].p50)} / ${ms(r.again[runtime].p95)}`),
      ],
      [
        `${runtime}: interpreter boot, mean (boots, most at once, peak target)`,
        ...results.map((r) => {
          const pool = r.pools[runtime];
          return pool
            ? `${ms(pool.meanBootMs)} (${pool.boots}, ${pool.peakBooting}, ${pool.peakTarget})`
            : 'n/a';
        }),
      ],
    );
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
  for (const runtime of ['pyodide', 'cpython']) {
    console.log(`\n${runtime}, the calls of both bursts:`);
    printSplit(
      Object.fromEntries(
        results.map((r) => [r.name, [...r.burst[runtime].timelines, ...r.again[runtime].timelines]]),
      ),
    );
  }
}

console.log('code interpreter latency through POST /v1/responses (scripted model, PGlite)\n');
const results = [];
const dirs = [];
for (const variant of VARIANTS) {
  const kept = DATA && variant.dataName ? join(DATA, variant.dataName) : undefined;
  if (kept) mkdirSync(kept, { recursive: true });
  else if (!variant.sameDataDir) dirs.push(mkdtempSync(join(tmpdir(), 'agentd-bench-ci-')));
  const dataDir = kept ?? dirs.at(-1);
  if (variant.seed && !(kept && existsSync(join(kept, 'code-interpreter', 'pyodide-snapshot.bin')))) {
    // The first start is not measured: it only boots once to leave the memory image on disk.
    const seeding = await startAgentd({}, dataDir, variant.root);
    await seeding.nextWith('ready');
    await seeding.close();
  }
  results.push(await measure(variant, dataDir));
  console.error(`measured: ${variant.name}`);
}
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
report(results);
