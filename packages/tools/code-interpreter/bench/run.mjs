// Benchmark of the code interpreter's sandboxes. Build first (`npx tsc -b` from the repo root), then:
//   node packages/tools/code-interpreter/bench/run.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { BubblewrapSandbox, PyodideSandbox } from '../dist/index.js';

const WARM_CALLS = 50;
const NEW_SESSIONS = 8;
const CONCURRENT_SESSIONS = 4;
const THROUGHPUT_MS = 3_000;
const NUMPY_TASK =
  'import numpy as np\na = np.random.default_rng(0).random((300, 300))\nfloat((a @ a).sum())';

const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value) => `${value.toFixed(1)} ms`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function timed(sandbox, code, sessionId) {
  const start = performance.now();
  const result = await sandbox.run({ code, sessionId });
  const elapsed = performance.now() - start;
  if (result.status !== 'ok') throw new Error(`${code} failed: ${JSON.stringify(result.error)}`);
  return elapsed;
}

async function warmCalls(sandbox, code = 'print(1)') {
  await timed(sandbox, code, 'bench-warm');
  const samples = [];
  for (let i = 0; i < WARM_CALLS; i++) samples.push(await timed(sandbox, code, 'bench-warm'));
  return samples;
}

async function newSessionCalls(sandbox, prefix) {
  const samples = [];
  for (let i = 0; i < NEW_SESSIONS; i++) {
    await sandbox.ready();
    samples.push(await timed(sandbox, 'print(1)', `${prefix}-new-${i}`));
    await sandbox.reset(`${prefix}-new-${i}`);
  }
  return samples;
}

async function throughput(sandbox, prefix) {
  const sessions = Array.from({ length: CONCURRENT_SESSIONS }, (_, i) => `${prefix}-concurrent-${i}`);
  await Promise.all(sessions.map((id) => timed(sandbox, 'print(1)', id)));
  let calls = 0;
  const end = performance.now() + THROUGHPUT_MS;
  await Promise.all(
    sessions.map(async (id) => {
      while (performance.now() < end) {
        await timed(sandbox, 'print(1)', id);
        calls++;
      }
    }),
  );
  await Promise.all(sessions.map((id) => sandbox.reset(id)));
  return calls / (THROUGHPUT_MS / 1000);
}

/** Resident memory of this process's descendants (the CPython sandboxes). */
function childrenRss() {
  let total = 0;
  let count = 0;
  const queue = [process.pid];
  while (queue.length > 0) {
    const pid = queue.shift();
    let children = [];
    try {
      children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
        readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      );
    } catch {}
    for (const child of children) {
      queue.push(child);
      try {
        const status = readFileSync(`/proc/${child}/status`, 'utf8');
        total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
        if (/^Name:\s+python/m.test(status)) count++;
      } catch {}
    }
  }
  return { total, count };
}

async function pyodideMemoryPerSession(sandbox) {
  await sandbox.ready();
  const before = process.memoryUsage().rss;
  const ids = Array.from({ length: 4 }, (_, i) => `memory-${i}`);
  for (const id of ids) await timed(sandbox, 'x = list(range(1000))', id);
  await sandbox.ready();
  const after = process.memoryUsage().rss;
  for (const id of ids) await sandbox.reset(id);
  return (after - before) / ids.length;
}

async function cpythonMemoryPerSession(sandbox) {
  const ids = Array.from({ length: 4 }, (_, i) => `memory-${i}`);
  for (const id of ids) await timed(sandbox, 'x = list(range(1000))', id);
  const plain = childrenRss();
  for (const id of ids) await timed(sandbox, 'import numpy, pandas', id);
  const scientific = childrenRss();
  for (const id of ids) await sandbox.reset(id);
  return { plain: plain.total / plain.count, scientific: scientific.total / scientific.count };
}

const rows = [];
const targets = [];
const report = (name, samples) => {
  rows.push([name, ms(percentile(samples, 50)), ms(percentile(samples, 95))]);
  return percentile(samples, 50);
};

console.log('Booting the pools…');
const pyodide = new PyodideSandbox({ poolSize: 2 });
const cpython = new BubblewrapSandbox({ poolSize: 2 });
const bootStart = performance.now();
await Promise.all([pyodide.ready(), cpython.ready()]);
console.log(`pools ready in ${ms(performance.now() - bootStart)}`);

try {
  const pyWarm = report('pyodide print(1), warm session', await warmCalls(pyodide));
  const coldBefore = pyodide.stats.coldStarts;
  const pyNew = report('pyodide print(1), new session', await newSessionCalls(pyodide, 'py'));
  const pyCold = pyodide.stats.coldStarts - coldBefore;
  const cpWarm = report('cpython print(1), warm session', await warmCalls(cpython));
  const cpNew = report('cpython print(1), new session', await newSessionCalls(cpython, 'cp'));
  const firstNumpy = await timed(cpython, NUMPY_TASK, 'bench-numpy');
  report('cpython numpy 300x300 matmul, warm', await repeat(cpython));
  const pyThroughput = await throughput(pyodide, 'py');
  const cpThroughput = await throughput(cpython, 'cp');
  const pyMemory = await pyodideMemoryPerSession(pyodide);
  const cpMemory = await cpythonMemoryPerSession(cpython);

  console.log('\nLatency                                   p50        p95');
  for (const [name, p50, p95] of rows)
    console.log(`${name.padEnd(40)} ${p50.padStart(9)}  ${p95.padStart(9)}`);
  console.log(`\ncpython numpy task, first call (imports numpy): ${ms(firstNumpy)}`);
  console.log(`\nThroughput, ${CONCURRENT_SESSIONS} concurrent sessions of print(1):`);
  console.log(`  pyodide ${pyThroughput.toFixed(0)} calls/s, cpython ${cpThroughput.toFixed(0)} calls/s`);
  console.log('\nMemory per session:');
  console.log(`  pyodide worker ≈ ${mb(pyMemory)} (process RSS growth per session)`);
  console.log(
    `  cpython sandbox ≈ ${mb(cpMemory.plain)} (bare), ${mb(cpMemory.scientific)} (numpy + pandas imported)`,
  );
  console.log(`  new pyodide sessions that had to wait for a boot: ${pyCold} of ${NEW_SESSIONS}`);

  targets.push(['warm Pyodide call p50 ≤ 20 ms', pyWarm <= 20, ms(pyWarm)]);
  targets.push(['new-session first call p50 ≤ 300 ms (pyodide)', pyNew <= 300, ms(pyNew)]);
  targets.push(['new-session first call p50 ≤ 300 ms (cpython)', cpNew <= 300, ms(cpNew)]);
  targets.push(['CPython sandbox call p50 ≤ 150 ms', cpWarm <= 150, ms(cpWarm)]);
  console.log('\nTargets:');
  for (const [name, met, value] of targets)
    console.log(`  ${met ? 'MET    ' : 'MISSED '} ${name} (${value})`);
} finally {
  await Promise.all([pyodide.close(), cpython.close()]);
}

async function repeat(sandbox) {
  const samples = [];
  for (let i = 0; i < 10; i++) samples.push(await timed(sandbox, NUMPY_TASK, 'bench-numpy'));
  return samples;
}
