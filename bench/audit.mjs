// What the audit log costs a run: runs per second of two agentd servers, side
// by side, one recording every run's audit events (created, each tool call
// once when it ends, completed: 5 events for a run of three tool calls) and
// one with AGENTD_AUDIT_RUNS=off. Embedded mode (PGlite), 64 runs in flight,
// the fake OpenAI server at zero latency. Target: at most 5 % fewer runs/s.
//
// Steadiness: many short rounds, each measuring every arm back to back (the
// order reversed every other round: ABBA), so a round's ratio of two arms
// cancels the load they shared. The figure is the median of those paired
// ratios, with its interquartile range, its range and a 95 % interval of the
// median (order statistics, no assumption about the distribution); the
// target is met when the whole interval is within 5 %, missed when all of it
// is over, otherwise not resolved (run more rounds). It also prints each
// server's CPU time per run (from /proc), paired the same way. The load
// average is printed at the start and the end.
//
//   node bench/audit.mjs                        up to 16 rounds of 128 runs, within --budget
//   node bench/audit.mjs --quick                2 rounds of 64 (a smoke run)
//   node bench/audit.mjs --rounds 24 --runs 96  more, shorter rounds
//   node bench/audit.mjs --budget 300           start no round after 300 s (default 320)
//   node bench/audit.mjs --only tools           only the runs with tool calls (or --only plain)
//   node bench/audit.mjs --before DIR           also audit on with a built checkout of the code
//                                               before a change (bench/ and packages/server/dist),
//                                               a third arm in each round, compared paired by round

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { describeChange, median, pairedChange, verdict } from './audit-stats.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';

const quick = process.argv.includes('--quick');
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const ROUNDS = option('rounds', quick ? 2 : 16);
const BUDGET_S = option('budget', 320);
const text = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const ONLY = text('only');
const BEFORE = text('before');
const RUNS = option('runs', quick ? 64 : 128);
// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};
const IN_FLIGHT = 64;
const TOOL_CALLS = 3;

const ARM_NAMES = { audited: 'audit on', unaudited: 'audit off', before: 'audit on, code before' };
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const TARGET = 5;

async function main() {
  const upstream = spawn(
    process.execPath,
    [new URL('./upstreams.mjs', import.meta.url).pathname, String(TOOL_CALLS)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const urls = JSON.parse(String((await once(upstream.stdout, 'data'))[0]));
  const env = {
    OPENAI_BASE_URL: urls.model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
    AGENTD_NET_ALLOW: '127.0.0.1',
  };
  const servers = {
    audited: await spawnAgentd({ ...env, AGENTD_AUDIT_RUNS: 'on' }, { dataDirPrefix: 'agentd-bench-audit-' }),
    unaudited: await spawnAgentd(
      { ...env, AGENTD_AUDIT_RUNS: 'off' },
      { dataDirPrefix: 'agentd-bench-audit-' },
    ),
    ...(BEFORE
      ? {
          before: await spawnAgentd(
            { ...env, AGENTD_AUDIT_RUNS: 'on' },
            { dataDirPrefix: 'agentd-bench-audit-', root: BEFORE },
          ),
        }
      : {}),
  };
  const ARMS = Object.keys(servers);
  const tool = {
    type: 'function',
    name: 'add',
    parameters: { type: 'object' },
    endpoint: { url: `${urls.tools}/add` },
  };

  const run = async (server, withTools) => {
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'What is 1 + 2?', ...(withTools ? { tools: [tool] } : {}) }),
    });
    const body = await response.json();
    if (body.status !== 'completed')
      throw new Error(`run ended ${body.status}: ${JSON.stringify(body.error)}`);
  };
  /** Runs per second, and the server's CPU milliseconds per run. */
  const measure = async (server, withTools) => {
    let next = 0;
    const cpuBefore = cpuMs(server.child.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < RUNS) {
          next++;
          await run(server, withTools);
        }
      }),
    );
    const perSecond = RUNS / ((performance.now() - started) / 1000);
    return { perSecond, cpuPerRun: (cpuMs(server.child.pid) - cpuBefore) / RUNS };
  };

  try {
    for (const server of Object.values(servers)) for (let i = 0; i < 64; i++) await run(server, i % 2 === 0);
    console.log(`load average at start: ${load()}`);
    const results = [];
    const kinds = [
      ['runs without tools', false],
      [`runs with ${TOOL_CALLS} tool calls`, true],
    ].filter(([, withTools]) => ONLY === undefined || (ONLY === 'tools') === withTools);
    for (const [label, withTools] of kinds) {
      const samples = Object.fromEntries(ARMS.map((arm) => [arm, []]));
      const cpu = Object.fromEntries(ARMS.map((arm) => [arm, []]));
      const kindStarted = performance.now();
      for (let round = 0; round < ROUNDS; round++) {
        // No round is started that would likely end past the kind's share of the budget.
        const spent = (performance.now() - kindStarted) / 1000;
        if (round >= 2 && spent + spent / round > BUDGET_S / kinds.length) break;
        const order = round % 2 === 0 ? ARMS : [...ARMS].reverse();
        for (const arm of order) {
          const { perSecond, cpuPerRun } = await measure(servers[arm], withTools);
          samples[arm].push(perSecond);
          cpu[arm].push(cpuPerRun);
          // Each round as it ends, so a run cut short (a busy machine, a time limit) still says something.
          console.log(
            `${label}, round ${round + 1}, ${ARM_NAMES[arm]}: ${perSecond.toFixed(1)} runs/s, ${cpuPerRun.toFixed(2)} ms CPU/run`,
          );
        }
      }
      results.push({ label, samples, cpu });
    }
    console.log(`load average at end: ${load()}`);
    console.log(`audit log cost, ${IN_FLIGHT} in flight, ${RUNS} runs a round, arms paired by round`);
    console.log(
      '| 64 in flight | rounds | runs/s on, off (medians) | cost: median [interval] | CPU ms/run on, off | CPU cost: median [interval] |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    const cost = (change) =>
      `${(-change.median).toFixed(1)} % [${(-change.high).toFixed(1)}, ${(-change.low).toFixed(1)}]`;
    const cpuCost = (change) =>
      `${change.median.toFixed(1)} % [${change.low.toFixed(1)}, ${change.high.toFixed(1)}]`;
    for (const { label, samples, cpu } of results) {
      const rate = pairedChange(samples.audited, samples.unaudited);
      const cpuChange = pairedChange(cpu.audited, cpu.unaudited);
      console.log(
        `| ${label} | ${rate.n} | ${median(samples.audited).toFixed(1)}, ${median(samples.unaudited).toFixed(1)} | ${cost(rate)} | ` +
          `${median(cpu.audited).toFixed(2)}, ${median(cpu.unaudited).toFixed(2)} | ${cpuCost(cpuChange)} |`,
      );
    }
    for (const { label, samples, cpu } of results) {
      const rounds = (values) => values.map((value) => value.toFixed(0)).join(', ');
      console.log(`${label}: runs/s rounds on ${rounds(samples.audited)}; off ${rounds(samples.unaudited)}`);
      const rate = pairedChange(samples.audited, samples.unaudited);
      console.log(`${label}: audit on against off, runs/s ${describeChange(rate)}`);
      console.log(
        `${label}: audit on against off, CPU per run ${describeChange(pairedChange(cpu.audited, cpu.unaudited))}`,
      );
      console.log(
        `${label}: target (at most ${TARGET} % fewer runs/s): ${verdict(-rate.high, -rate.low, TARGET)}`,
      );
      if (BEFORE) {
        console.log(`${label}: runs/s rounds before ${rounds(samples.before)}`);
        console.log(
          `${label}: audit on, this code against --before, runs/s ${describeChange(pairedChange(samples.audited, samples.before))}`,
        );
        console.log(
          `${label}: audit on, this code against --before, CPU per run ${describeChange(pairedChange(cpu.audited, cpu.before))}`,
        );
        const beforeRate = pairedChange(samples.before, samples.unaudited);
        console.log(`${label}: the code before, audit on against off, runs/s ${describeChange(beforeRate)}`);
        console.log(
          `${label}: the code before against the target: ${verdict(-beforeRate.high, -beforeRate.low, TARGET)}`,
        );
      }
    }
  } finally {
    for (const server of Object.values(servers)) {
      server.child.stdin.end();
      await once(server.child, 'exit');
      rmSync(server.dataDir, { recursive: true, force: true });
    }
    upstream.stdin.end();
    upstream.kill('SIGTERM');
  }
}

await main();
