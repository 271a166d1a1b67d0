// What the audit log costs a run: runs per second of two agentd servers, side
// by side, one recording every run's audit events (created, each tool call
// started and completed, completed: 8 events for a run of three tool calls)
// and one with AGENTD_AUDIT_RUNS=off. Embedded mode (PGlite), 64 runs in
// flight, the fake OpenAI server at zero latency. The arms alternate round by
// round (and which goes first), so whatever else the machine does weighs on
// both alike; the figure is the median round. Target: at most 5 % fewer runs/s.
// It also prints each server's CPU time per run (from /proc), which a busy
// machine disturbs far less than runs/s.
//
//   node bench/audit.mjs                        5 rounds of 384 runs
//   node bench/audit.mjs --quick                1 round of 128 (a smoke run)
//   node bench/audit.mjs --rounds 3 --runs 96   on a busy machine
//   node bench/audit.mjs --only tools           only the runs with tool calls (or --only plain)
//   node bench/audit.mjs --before DIR           also audit on with a built checkout of the code
//                                               before a change (bench/ and packages/server/dist),
//                                               a third arm in each round, compared paired by round

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { spawnAgentd } from './spawn-agentd.mjs';

const quick = process.argv.includes('--quick');
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const ROUNDS = option('rounds', quick ? 1 : 5);
const text = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const ONLY = text('only');
const BEFORE = text('before');
const RUNS = option('runs', quick ? 128 : 384);
// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
};
const IN_FLIGHT = 64;
const TOOL_CALLS = 3;

const ARM_NAMES = { audited: 'audit on', unaudited: 'audit off', before: 'audit on, code before' };
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

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
    const results = [];
    const kinds = [
      ['runs without tools', false],
      [`runs with ${TOOL_CALLS} tool calls`, true],
    ].filter(([, withTools]) => ONLY === undefined || (ONLY === 'tools') === withTools);
    for (const [label, withTools] of kinds) {
      const samples = Object.fromEntries(ARMS.map((arm) => [arm, []]));
      const cpu = Object.fromEntries(ARMS.map((arm) => [arm, []]));
      for (let round = 0; round < ROUNDS; round++) {
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
      const audited = median(samples.audited);
      const unaudited = median(samples.unaudited);
      const cpuOn = median(cpu.audited);
      const cpuOff = median(cpu.unaudited);
      results.push({ label, audited, unaudited, cost: 1 - audited / unaudited, samples, cpu, cpuOn, cpuOff });
    }
    console.log(`audit log cost, ${IN_FLIGHT} in flight, ${RUNS} runs a round, median of ${ROUNDS} rounds`);
    console.log(
      '| 64 in flight | runs/s, audit on | runs/s, audit off | cost | CPU ms/run on, off | CPU cost |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const result of results) {
      console.log(
        `| ${result.label} | ${result.audited.toFixed(1)} | ${result.unaudited.toFixed(1)} | ${(result.cost * 100).toFixed(1)} % | ` +
          `${result.cpuOn.toFixed(2)}, ${result.cpuOff.toFixed(2)} | ${((result.cpuOn / result.cpuOff - 1) * 100).toFixed(1)} % |`,
      );
    }
    for (const result of results) {
      const rounds = (values) => values.map((value) => value.toFixed(0)).join(', ');
      console.log(
        `${result.label}: rounds on ${rounds(result.samples.audited)}; off ${rounds(result.samples.unaudited)}`,
      );
      if (BEFORE) {
        // Paired by round: each round's arms ran back to back, under the same load.
        const before = result.samples.before;
        const rate = median(before.map((value, round) => result.samples.audited[round] / value));
        const cpuRatio = median(result.cpu.before.map((value, round) => result.cpu.audited[round] / value));
        const offRate = median(before.map((value, round) => result.samples.unaudited[round] / value));
        console.log(
          `${result.label}: audit on, this code against --before, paired by round: ${((rate - 1) * 100).toFixed(1)} % runs/s, ` +
            `${((cpuRatio - 1) * 100).toFixed(1)} % CPU per run; audit on before: ${median(before).toFixed(1)} runs/s, ` +
            `${median(result.cpu.before).toFixed(2)} ms CPU/run, cost against audit off ${((1 - 1 / offRate) * 100).toFixed(1)} %`,
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
