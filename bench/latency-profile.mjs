// Where the time of a run goes (issue 12, item 7): agentd in its own process
// (embedded mode, PGlite) under V8's CPU profiler, the fake model in another,
// N non-streamed runs one at a time, then each thread's profile (the server's
// event loop, the PGlite worker) summed by self time per module and per
// function, over the runs only (start-up and migrations left out), with the
// process's CPU time per run from /proc.
//
//   node bench/latency-profile.mjs [--runs N] [--top N] [--root DIR]
//
// --root DIR: a built checkout whose agentd is profiled instead of this one's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const option = (name) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 300);
const TOP = Number(option('--top') ?? 20);
const ROOT = option('--root');
const bench = ROOT ? join(ROOT, 'bench') : new URL('.', import.meta.url).pathname;

/** CPU time (user + system) of a process so far, ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function main() {
  const upstream = spawn(process.execPath, [join(bench, 'upstreams.mjs'), '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  const dataDir = mkdtempSync(join(tmpdir(), 'agentd-profile-'));
  const profiles = mkdtempSync(join(tmpdir(), 'agentd-cpuprofile-'));
  const settings = {
    AGENTD_PORT: '0',
    AGENTD_DATA_DIR: dataDir,
    AGENTD_LOG_LEVEL: 'silent',
    OPENAI_BASE_URL: model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
    AGENTD_SAFETY_POLICY: JSON.stringify({ model_output: { hold_back: 0 } }),
    // The interpreter pools boot in the background after start (seconds of CPU): no run here uses them.
    AGENTD_CODE_INTERPRETER_PREWARM: 'off',
  };
  const child = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${profiles}`,
      '--cpu-prof-interval=200',
      join(bench, 'agentd-process.mjs'),
      JSON.stringify(settings),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [started] = await once(child.stdout, 'data');
  const { url, key } = JSON.parse(String(started));
  const run = async () => {
    const response = await fetch(`${url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-model', input: 'What is 1 + 2?' }),
    });
    const body = await response.json();
    if (body.status !== 'completed') throw new Error(`run ended ${body.status}`);
  };
  for (let i = 0; i < 20; i++) await run();
  const cpuBefore = cpuMs(child.pid);
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) await run();
  const window = performance.now() - t0;
  const cpu = cpuMs(child.pid) - cpuBefore;
  child.stdin.end();
  await once(child, 'exit');
  upstream.stdin.end();
  await once(upstream, 'exit');

  console.log(`\nagentd under the CPU profiler: ${RUNS} non-streamed runs, one at a time (embedded: PGlite)`);
  console.log(
    `wall ${(window / RUNS).toFixed(2)} ms per run; agentd's CPU (all threads) ${(cpu / RUNS).toFixed(2)} ms per run`,
  );
  // One profile per thread; the file name's thread number says which (0: the event loop).
  for (const file of readdirSync(profiles).sort()) {
    const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8'));
    const thread = /\.0\.\d+\.cpuprofile$/.test(file) ? 'event loop' : 'worker thread';
    summarise(profile, window * 1000, thread);
  }
  rmSync(profiles, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}

/** Self time per module and per function over the last `windowUs` of the profile. */
function summarise(profile, windowUs, thread) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const deltas = profile.timeDeltas;
  const total = deltas.reduce((a, b) => a + b, 0);
  const from = total - windowUs;
  const self = new Map();
  let elapsed = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsed += deltas[i] ?? 0;
    if (elapsed < from) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (deltas[i] ?? 0));
  }
  const byModule = new Map();
  const byFunction = new Map();
  let busy = 0;
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const module = moduleOf(url, functionName);
    if (module !== '(idle)') busy += us;
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    const name = url ? `${functionName || '(anonymous)'} ${shorten(url)}:${lineNumber + 1}` : module;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const runs = RUNS;
  const rows = (map) =>
    [...map]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, us]) => `    ${(us / 1000 / runs).toFixed(3).padStart(7)} ms/run  ${name}`)
      .join('\n');
  console.log(
    `\n  ${thread}: busy ${(busy / 1000 / runs).toFixed(2)} ms per run (sampled wall time, not idle)`,
  );
  console.log(`  by module:\n${rows(byModule)}`);
  console.log(`  by function:\n${rows(byFunction)}`);
}

function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
  if (url.startsWith('wasm://')) return 'WASM (PGlite: PostgreSQL)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/packages\/(.+?)\/(?:dist|src)\/(.*)$/.exec(url);
  if (own) return `@agentd/${own[1]} ${own[2]}`;
  return url.replace(/^file:\/\//, '');
}

const shorten = (url) => url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');

await main();
