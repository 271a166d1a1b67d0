// Tracing's overhead: runs per second (and agentd's CPU time per run) with
// OpenTelemetry tracing off, and on with every span exported over OTLP/HTTP
// to a local receiver, side by side. Two agentd processes (embedded mode,
// PGlite), the same upstreams (fake model at zero latency, a tool endpoint;
// each run calls the tool three times: four model calls, three tool calls).
// The arms run at the same time, round after round (a fixed time each),
// so that whatever else the machine is doing weighs on both alike; each
// figure is the median of its rounds. Agentd's CPU time per run (from /proc)
// is the steadier figure on a shared machine; runs per second moves with
// whatever else runs there. Each round also gives a paired ratio (on/off in
// the same seconds); their median is printed beside the ratio of the medians.
//
//   node bench/tracing.mjs [--quick] [--rounds N] [--before DIR] [--env NAME=VALUE ...]
//
// --before DIR: a built checkout (bench/ and packages/server/dist suffice) of the
// code before a change: its traced arms (on, sampled) run beside this one's.
// --env NAME=VALUE (repeatable): set for this code's traced arms only, e.g. the batch
// processor's OTEL_BSP_* variables; with --before set to this checkout, a setting is
// measured against the defaults.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { spawnAgentd } from './spawn-agentd.mjs';

const quick = process.argv.includes('--quick');
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 2 : 6;
const ROUND_MS = quick ? 3_000 : 6_000;
const beforeArg = process.argv.indexOf('--before');
const BEFORE = beforeArg > 0 ? process.argv[beforeArg + 1] : undefined;
const extraEnv = Object.fromEntries(
  process.argv
    .flatMap((arg, i) => (arg === '--env' ? [process.argv[i + 1] ?? ''] : []))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const IN_FLIGHT = 8;
const WARMUP_MS = 2_000;
const TOOL_CALLS = 3;
const CLOCK_TICKS = 100;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};

async function child(script, args = []) {
  const proc = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(proc.stdout, 'data');
  return { proc, info: JSON.parse(String(line)) };
}

async function main() {
  const upstreams = await child('./upstreams.mjs', [String(TOOL_CALLS)]);
  const sink = await child('./otlp-sink.mjs');
  const common = {
    OPENAI_BASE_URL: upstreams.info.model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
    AGENTD_NET_ALLOW: '127.0.0.1',
    AGENTD_CODE_INTERPRETER: 'off',
    AGENTD_BROWSER: 'off',
  };
  const on = { ...common, OTEL_EXPORTER_OTLP_ENDPOINT: sink.info.url };
  // One trace in ten recorded and exported (the standard sampler variables).
  const sampled = { ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
  // Started together: on a loaded machine one after the other takes most of the time allowed.
  const started = await Promise.all([
    spawnAgentd(common),
    spawnAgentd({ ...on, ...extraEnv }),
    spawnAgentd({ ...sampled, ...extraEnv }),
    ...(BEFORE ? [spawnAgentd(on, { root: BEFORE }), spawnAgentd(sampled, { root: BEFORE })] : []),
  ]);
  const names = ['off', 'on', 'sampled', ...(BEFORE ? ['on-before', 'sampled-before'] : [])];
  const arms = Object.fromEntries(names.map((name, i) => [name, started[i]]));
  const tool = {
    type: 'function',
    name: 'add',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    endpoint: { url: `${upstreams.info.tools}/add` },
  };
  const run = async (server) => {
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-model', input: 'What is 1 + 2?', tools: [tool] }),
    });
    const body = await response.json();
    if (body.status !== 'completed')
      throw new Error(`run ended ${body.status}: ${JSON.stringify(body.error)}`);
  };
  // Runs for `ms`, IN_FLIGHT at a time; counts those that ended in the window.
  const round = async (server, ms) => {
    const cpuBefore = cpuMs(server.child.pid);
    const started = performance.now();
    const deadline = started + ms;
    let done = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() < deadline) {
          await run(server);
          done++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { runs: done, perSecond: done / seconds, cpuPerRun: (cpuMs(server.child.pid) - cpuBefore) / done };
  };

  const warmup = await Promise.all(names.map((name) => round(arms[name], WARMUP_MS)));
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < ROUNDS; i++) {
    const rounds = await Promise.all(names.map((name) => round(arms[name], ROUND_MS)));
    for (const [index, name] of names.entries()) results[name].push(rounds[index]);
    // Each round as it ends: a run cut short by the time limit still leaves its figures.
    console.log(
      `round ${i + 1}: ${names.map((name, index) => `${name} ${rounds[index].perSecond.toFixed(1)}/s ${rounds[index].cpuPerRun.toFixed(1)} ms`).join(', ')}`,
    );
  }
  sink.proc.stdin.write('\n');
  const [countLine] = await once(sink.proc.stdout, 'data');
  const { spans, bytes, byKind } = JSON.parse(String(countLine));

  const summary = Object.fromEntries(
    Object.entries(results).map(([name, rounds]) => [
      name,
      {
        perSecond: median(rounds.map((r) => r.perSecond)),
        cpuPerRun: median(rounds.map((r) => r.cpuPerRun)),
      },
    ]),
  );
  const tracedRuns =
    results.on.reduce((sum, r) => sum + r.runs, warmup[1].runs) +
    results.sampled.reduce((sum, r) => sum + r.runs, warmup[2].runs) / 10 +
    (BEFORE
      ? results['on-before'].reduce((sum, r) => sum + r.runs, warmup[3].runs) +
        results['sampled-before'].reduce((sum, r) => sum + r.runs, warmup[4].runs) / 10
      : 0);
  console.log(
    `tracing overhead: ${ROUNDS} rounds of ${ROUND_MS / 1000} s per arm, ${IN_FLIGHT} runs in flight, ${TOOL_CALLS} tool calls a run${Object.keys(extraEnv).length ? `; this code's traced arms with ${JSON.stringify(extraEnv)}` : ''}`,
  );
  console.log('arm                         runs/s   agentd CPU ms/run');
  for (const [name, figures] of Object.entries(summary)) {
    console.log(
      `${name.padEnd(22)}  ${figures.perSecond.toFixed(1).padStart(8)}   ${figures.cpuPerRun.toFixed(2).padStart(10)}`,
    );
  }
  const traced = names.filter((name) => name !== 'off');
  for (const name of traced) {
    const cost = (1 - summary[name].perSecond / summary.off.perSecond) * 100;
    const cpuCost = (summary[name].cpuPerRun / summary.off.cpuPerRun - 1) * 100;
    console.log(
      `tracing ${name} costs ${cost.toFixed(1)}% of runs per second, ${cpuCost.toFixed(1)}% more CPU per run`,
    );
  }
  // Paired: each round's arms ran in the same seconds, so their ratio cancels what the machine did then.
  for (const name of traced) {
    const rate = median(results[name].map((r, i) => r.perSecond / results.off[i].perSecond));
    const cpu = median(results[name].map((r, i) => r.cpuPerRun / results.off[i].cpuPerRun));
    const each = results[name].map((r, i) => ((1 - r.perSecond / results.off[i].perSecond) * 100).toFixed(1));
    console.log(
      `tracing ${name}, paired by round: costs ${((1 - rate) * 100).toFixed(1)}% of runs per second (rounds: ${each.join(', ')}), ${((cpu - 1) * 100).toFixed(1)}% more CPU per run`,
    );
  }
  if (BEFORE) {
    for (const name of ['on', 'sampled']) {
      const cpu = median(results[name].map((r, i) => r.cpuPerRun / results[`${name}-before`][i].cpuPerRun));
      const rate = median(results[name].map((r, i) => r.perSecond / results[`${name}-before`][i].perSecond));
      console.log(
        `tracing ${name}, this code against --before, paired by round: ${((cpu - 1) * 100).toFixed(1)}% CPU per run, ${((rate - 1) * 100).toFixed(1)}% runs per second`,
      );
    }
  }
  console.log(
    `${spans} spans received (about ${(spans / tracedRuns).toFixed(0)} a traced run); bytes: ${bytes.protobuf} in protobuf, ${bytes.json} in JSON`,
  );
  const kinds = ['', 'internal', 'server', 'client'];
  const perRun = Object.entries(byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => {
      const [kind, name] = key.split(' ');
      return `${name} (${kinds[Number(kind)] ?? kind}) ${(count / tracedRuns).toFixed(1)}`;
    });
  console.log(`spans a traced run by name and kind: ${perRun.join(', ')}`);

  for (const server of Object.values(arms)) {
    server.child.stdin.end();
    await once(server.child, 'exit');
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  upstreams.proc.stdin.end();
  sink.proc.stdin.end();
}

await main();
