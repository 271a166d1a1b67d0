// The rules phase's latency per 4,000-character text, as `npm run eval:safety` measures it (texts
// made of the training rows, CPU time of this process and wall time, p50 and p99 over three
// rounds after a warm-up), and its time on 100 KB hostile texts (long runs of near-matches).
//
//   node bench/safety-rules.mjs                    this tree
//   node bench/safety-rules.mjs --before DIR       and DIR's built tree, side by side, rounds interleaved
//   node bench/safety-rules.mjs --hostile          also the hostile texts (skipped for --before trees,
//                                                  where some take minutes)
//
// Needs the packages built (`npx tsc -b`) and the training files in ../shared/data/safety.

import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const at = process.argv.indexOf('--before');
const trees = [{ label: 'after', dir: resolve(new URL('..', import.meta.url).pathname) }];
if (at > 0) trees.unshift({ label: 'before', dir: resolve(process.argv[at + 1]) });

const load = async (dir) => ({
  rules: await import(`${dir}/packages/safety/dist/rules/rules-phase.js`),
  latency: await import(`${dir}/packages/safety/dist/training/latency.js`),
  dataset: await import(`${dir}/packages/safety/dist/training/dataset.js`),
  files: await import(`${dir}/packages/safety/dist/training/data-files.js`),
});
const loaded = [];
for (const tree of trees) loaded.push({ ...tree, ...(await load(tree.dir)) });

const { readRows } = loaded[0].dataset;
const texts = loaded[0].latency.longTexts(readRows(loaded[0].files.DATA_FILES), 300, 4000);
const percentile = (samples, p) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

console.log(
  `rules phase on ${texts.length} texts of 4,000 characters (load average ${loadavg()[0].toFixed(1)})`,
);
const phases = loaded.map((tree) => ({ ...tree, phase: tree.rules.createRulesPhase(), cpu: [], wall: [] }));
for (const { phase } of phases) for (const text of texts) phase.check({ text, surface: 'tool_output' }, []);
// Rounds interleaved, so that both trees see the same load.
for (let round = 0; round < 3; round++)
  for (const tree of phases)
    for (const text of texts) {
      const before = process.cpuUsage();
      const started = performance.now();
      tree.phase.check({ text, surface: 'tool_output' }, []);
      tree.wall.push(performance.now() - started);
      const { user, system } = process.cpuUsage(before);
      tree.cpu.push((user + system) / 1000);
    }
for (const tree of phases)
  console.log(
    `  ${tree.label.padEnd(7)} CPU p50 ${percentile(tree.cpu, 50).toFixed(2)}  p99 ${percentile(tree.cpu, 99).toFixed(2)}   wall p50 ${percentile(tree.wall, 50).toFixed(2)}  p99 ${percentile(tree.wall, 99).toFixed(2)} ms (budget 2 ms)`,
  );

if (process.argv.includes('--hostile')) {
  const units = ['€', '!€@|', '1a', 'QUFB', '#', '\n', ' \n', 'zeig', '![', 'a\u200b', 'ignore '];
  const after = phases.at(-1);
  console.log(
    `${after.label}: 100,000-character hostile texts, wall ms (load average ${loadavg()[0].toFixed(1)})`,
  );
  for (const unit of units) {
    const text = unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000);
    const started = performance.now();
    const verdict = after.phase.check({ text, surface: 'tool_output' }, []);
    console.log(
      `  ${JSON.stringify(unit).padEnd(12)} ${(performance.now() - started).toFixed(1).padStart(8)}  ${verdict.action}`,
    );
  }
}
