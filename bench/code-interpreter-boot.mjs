// Where a fresh interpreter's boot goes, for each runtime: one pool of one,
// refilled after each new session, so boots run one at a time with nothing
// beside them. Wall time per phase (Pyodide) and the whole process's CPU time
// per boot, which the load of other processes on the machine moves less than
// wall time. A boot from the memory image is what a pool refill costs; the
// first Pyodide boot takes the image (cold start).
//
//   node bench/code-interpreter-boot.mjs [--quick]     after `npx tsc -b`

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BubblewrapSandbox, PyodideSandbox } from '../packages/tools/code-interpreter/dist/index.js';

const BOOTS = process.argv.includes('--quick') ? 3 : 8;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${Math.round(value)} ms`;
const cpuMs = (since) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Boots `BOOTS` interpreters one after another; each sample is one boot's stats. */
async function boots(sandbox, timings) {
  const samples = [];
  for (let i = 0; i < BOOTS; i++) {
    // Taking the warm interpreter for a new session makes the pool boot the next one.
    const result = await sandbox.run({ code: '1', sessionId: `boot-${i}` });
    if (result.status !== 'ok') throw new Error(`a call failed: ${JSON.stringify(result.error)}`);
    const cpu = process.cpuUsage();
    await sandbox.ready();
    samples.push({ wall: sandbox.stats.lastBootMs, cpu: cpuMs(cpu), ...(timings?.() ?? {}) });
    await sandbox.reset(`boot-${i}`);
  }
  return samples;
}

const dir = mkdtempSync(join(tmpdir(), 'agentd-bench-boot-'));
const rows = [];
try {
  const snapshotFile = join(dir, 'pyodide-snapshot.bin');
  const cold = process.cpuUsage();
  const pyodide = new PyodideSandbox({ poolSize: 1, maxPoolSize: 1, snapshotFile });
  await pyodide.ready();
  const first = pyodide.lastBootTimings;
  rows.push([
    'pyodide: first boot (cold, takes the memory image)',
    ms(first.totalMs),
    ms(cpuMs(cold)),
    `load ${ms(first.loadMs)}, setup ${ms(first.setupMs)}`,
  ]);
  const samples = await boots(pyodide, () => pyodide.lastBootTimings);
  await pyodide.close();
  const phase = (key) => ms(median(samples.map((s) => s[key])));
  rows.push([
    `pyodide: boot from the image (median of ${BOOTS})`,
    phase('wall'),
    phase('cpu'),
    `spawn ${phase('spawnMs')}, import ${phase('importMs')}, load ${phase('loadMs')}, setup ${phase('setupMs')}`,
  ]);
  const cpython = new BubblewrapSandbox({ poolSize: 1, maxPoolSize: 1 });
  await cpython.ready();
  const started = await boots(cpython);
  await cpython.close();
  rows.push([
    `cpython: sandbox start (median of ${BOOTS})`,
    ms(median(started.map((s) => s.wall))),
    `${ms(median(started.map((s) => s.cpu)))} (server only)`,
    'bubblewrap, python3 -I, driver and warm-up',
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('code interpreter boot, one at a time\n');
const table = [['', 'wall', 'CPU', 'where the wall time goes'], ...rows];
const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
