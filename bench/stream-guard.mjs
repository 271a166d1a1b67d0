// The stream check's CPU per streamed answer, reading the window on every
// delta (as before issue 18's round 2) beside reading it every quarter
// hold-back (50 characters, the server's default now), in one run: a
// 4,000-character answer (the scripted model's longest tool report) in
// word-sized and in 4-character deltas, rules + classifier.
//
//   node bench/stream-guard.mjs [--rounds N]   (after npx tsc -b)

import { loadavg } from 'node:os';
import { createClassifierPhase, createRulesPhase, createStreamGuard } from '../packages/safety/dist/index.js';
import { DATA_FILES } from '../packages/safety/dist/training/data-files.js';
import { readRows } from '../packages/safety/dist/training/dataset.js';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 20;
const answer = readRows(DATA_FILES)
  .filter((row) => row.label === 0)
  .map((row) => row.text)
  .join(' ')
  .slice(0, 4000);
const phases = [createRulesPhase(), createClassifierPhase()];
const cuts = {
  words: answer.match(/\S+\s*|\s+/g) ?? [],
  '4 chars': answer.match(/[\s\S]{1,4}/g) ?? [],
};

function cpuMs(deltas, checkEvery) {
  const start = process.cpuUsage();
  const guard = createStreamGuard(phases, { holdBack: 200, checkEvery });
  let out = '';
  for (const delta of deltas) {
    const step = guard.push(delta);
    if (step.type === 'release') out += step.text;
  }
  const end = guard.end();
  if (end.type === 'release') out += end.text;
  if (out !== answer) throw new Error('the answer did not come through whole');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `stream check, 4,000-character answer, rules + classifier, hold-back 200, load ${loadavg()[0].toFixed(1)}:`,
);
for (const [name, deltas] of Object.entries(cuts)) {
  const every = [];
  const spaced = [];
  for (let round = 0; round < rounds + 3; round++) {
    // Alternate, so that load changes hit both; the first rounds warm the JIT up.
    const a = cpuMs(deltas, 1);
    const b = cpuMs(deltas, 50);
    if (round >= 3) {
      every.push(a);
      spaced.push(b);
    }
  }
  const [e, s] = [median(every), median(spaced)];
  console.log(
    `  ${name.padEnd(8)} (${deltas.length} deltas): every delta ${e.toFixed(1)} ms CPU, every 50 characters ${s.toFixed(1)} ms CPU (${(e / s).toFixed(1)}x less)`,
  );
}
