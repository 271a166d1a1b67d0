// Sums a V8 CPU profile (node --cpu-prof) by where the time went: self time
// per package (node_modules/<name>, the workspace package, node's internals,
// the garbage collector) and the heaviest functions, so that scaled mode's
// worker and API process can be compared part by part.
//
//   AGENTD_BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/p" node bench/scaled.mjs --quick --throughput-only
//   node bench/scaled-profile.mjs /tmp/p/CPU.*.cpuprofile [--top N] [--runs N]
//
// --runs N: the runs the profile covers, to print µs per run beside the share.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  if (index < 0) return fallback;
  const [value] = args.splice(index, 2).slice(1);
  return value;
};
const TOP = Number(option('--top', 25));
const RUNS = Number(option('--runs', 0));
/** Samples of the first S seconds (the process's start: module loading, schema compiling) are left out. */
const SKIP_US = Number(option('--skip', 0)) * 1e6;
/** A native function (e.g. writev) whose self time is also told by the package that called it. */
const CALLERS = option('--callers', 'writev');

/** Where a frame's code lives: a package, the workspace, node's own code, or V8's pseudo-frames. */
function partOf(frame) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName ? `(${frame.functionName.replace(/[()]/g, '')})` : '(native)';
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (modules) return modules[1];
  const workspace = url.match(/packages\/([^/]+)\//);
  if (workspace) return `@agentd/${workspace[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url.split('/').slice(-2).join('/');
}

function summarise(path) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < SKIP_US) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  /** The first caller of `id` in a package (not node's own code): who asked for the native call. */
  const callerPart = (id) => {
    for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
      const part = partOf(byId.get(up).callFrame);
      if (!part.startsWith('node:') && !part.startsWith('(')) return part;
    }
    return '(none)';
  };
  const callers = new Map();
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)');
  const idleUs = idle.reduce((a, [, us]) => a + us, 0);
  const busy = total - idleUs;
  const parts = new Map();
  const functions = new Map();
  for (const [id, us] of self) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') continue;
    const part = partOf(frame);
    parts.set(part, (parts.get(part) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${part}:${frame.lineNumber + 1}`;
    if (frame.functionName === CALLERS) {
      const by = callerPart(id);
      callers.set(by, (callers.get(by) ?? 0) + us);
    }
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const line = ([name, us]) =>
    `  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms${RUNS ? `  ${(us / RUNS).toFixed(0).padStart(5)} µs/run` : ''}  ${name}`;
  console.log(`\n${path}: busy ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`);
  console.log(' by part (self time):');
  for (const entry of [...parts].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(line(entry));
  console.log(` ${CALLERS} by the package that called it:`);
  for (const entry of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(line(entry));
  console.log(' heaviest functions (self time):');
  for (const entry of [...functions].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(line(entry));
}

for (const path of args) summarise(path);
