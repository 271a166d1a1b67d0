// What the audit log costs a run: runs per second of two agentd servers, side
// by side, one recording every run's audit events (created, each tool call
// started and completed, completed: 8 events for a run of three tool calls)
// and one with AGENTD_AUDIT_RUNS=off. Embedded mode (PGlite), 64 runs in
// flight, the fake OpenAI server at zero latency. The arms alternate round by
// round (and which goes first), so whatever else the machine does weighs on
// both alike; the figure is the median round. Target: at most 5 % fewer runs/s.
//
//   node bench/audit.mjs            5 rounds
//   node bench/audit.mjs --quick    1 round (a smoke run)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { spawnAgentd } from './spawn-agentd.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 1 : 5;
const RUNS = quick ? 128 : 384;
const IN_FLIGHT = 64;
const TOOL_CALLS = 3;

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
  };
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
  const runsPerSecond = async (server, withTools) => {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < RUNS) {
          next++;
          await run(server, withTools);
        }
      }),
    );
    return RUNS / ((performance.now() - started) / 1000);
  };

  try {
    for (const server of Object.values(servers)) for (let i = 0; i < 64; i++) await run(server, i % 2 === 0);
    const results = [];
    for (const [label, withTools] of [
      ['runs without tools', false],
      [`runs with ${TOOL_CALLS} tool calls`, true],
    ]) {
      const samples = { audited: [], unaudited: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? ['audited', 'unaudited'] : ['unaudited', 'audited'];
        for (const arm of order) samples[arm].push(await runsPerSecond(servers[arm], withTools));
      }
      const audited = median(samples.audited);
      const unaudited = median(samples.unaudited);
      results.push({ label, audited, unaudited, cost: 1 - audited / unaudited, samples });
    }
    console.log(`audit log cost, ${IN_FLIGHT} in flight, ${RUNS} runs a round, median of ${ROUNDS} rounds`);
    console.log('| runs/s, 64 in flight | audit on | audit off | cost |');
    console.log('| --- | --- | --- | --- |');
    for (const result of results) {
      console.log(
        `| ${result.label} | ${result.audited.toFixed(1)} | ${result.unaudited.toFixed(1)} | ${(result.cost * 100).toFixed(1)} % |`,
      );
    }
    for (const result of results) {
      const rounds = (values) => values.map((value) => value.toFixed(0)).join(', ');
      console.log(
        `${result.label}: rounds on ${rounds(result.samples.audited)}; off ${rounds(result.samples.unaudited)}`,
      );
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
