// agentd's run-loop benchmark: the platform's overhead per agent run against
// the fake OpenAI server at zero latency, compared with a minimal direct loop
// against the same server. Embedded mode (PGlite). Every party has its own
// process, as in production: the upstreams (fake model, tool endpoint), the
// agentd server, and this one, the load generator that also runs the direct
// loop. For runs without tools it also measures a bare proxy (one model call
// per request, nothing else) to show the ceiling any server in between has.
//
//   npm run bench              full run
//   npm run bench -- --quick   fewer iterations (a smoke run)

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { readChatStream } from './chat-stream.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';

const quick = process.argv.includes('--quick');
const SEQUENTIAL = quick ? 30 : 1000;
const WARMUP = quick ? 5 : 30;
const IN_FLIGHT = 64;
const CONCURRENT_TOTAL = quick ? 128 : 640;
const LOAD_ROUNDS = quick ? 1 : 3;
const TOOL_CALLS = 3;
// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};
const fmt = (ms) => `${ms.toFixed(2)} ms`;

const addSchema = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
};

async function main() {
  // Upstreams run in their own process, as a real model server and tool endpoint would.
  const upstream = spawn(
    process.execPath,
    [new URL('./upstreams.mjs', import.meta.url).pathname, String(TOOL_CALLS)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = await once(upstream.stdout, 'data');
  const urls = JSON.parse(String(line));
  const fake = { baseURL: urls.model };
  const tools = { url: urls.tools };

  const starting = spawnAgentd({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
    // The bench's tool endpoint is on loopback, which the network policy blocks by default.
    AGENTD_NET_ALLOW: '127.0.0.1',
  });
  const bare = spawn(
    process.execPath,
    [new URL('./bare-proxy.mjs', import.meta.url).pathname, fake.baseURL],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [bareLine] = await once(bare.stdout, 'data');
  const bareUrl = JSON.parse(String(bareLine)).url;
  const server = await starting;
  const { child: agentd, dataDir, key } = server;
  const tool = {
    type: 'function',
    name: 'add',
    parameters: addSchema,
    endpoint: { url: `${tools.url}/add` },
  };

  const viaAgentd = async (withTools) => {
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'bench-model',
        input: 'What is 1 + 2?',
        ...(withTools ? { tools: [tool] } : {}),
      }),
    });
    const body = await response.json();
    if (body.status !== 'completed')
      throw new Error(`run ended ${body.status}: ${JSON.stringify(body.error)}`);
  };

  const viaBareProxy = async () => {
    const response = await fetch(bareUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'What is 1 + 2?' }),
    });
    const body = await response.json();
    if (body.status !== 'completed') throw new Error('bare proxy failed');
  };

  const direct = async (withTools) => {
    const messages = [{ role: 'user', content: 'What is 1 + 2?' }];
    for (;;) {
      const response = await fetch(`${fake.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'bench-model',
          stream: true,
          stream_options: { include_usage: true },
          messages,
          ...(withTools
            ? { tools: [{ type: 'function', function: { name: 'add', parameters: addSchema } }] }
            : {}),
        }),
      });
      const { content, calls: list } = readChatStream(await response.text());
      if (list.length === 0) return content;
      messages.push({
        role: 'assistant',
        content: '',
        tool_calls: list.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of list) {
        const result = await fetch(`${tools.url}/add`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: call.arguments,
        });
        messages.push({ role: 'tool', tool_call_id: call.id, content: await result.text() });
      }
    }
  };

  // Latency of each arm, one run at a time. The arms alternate run by run, so
  // that whatever else the machine is doing weighs on both alike.
  const sequential = async (arms) => {
    for (let i = 0; i < WARMUP; i++) for (const arm of arms) await arm();
    const samples = arms.map(() => []);
    for (let i = 0; i < SEQUENTIAL; i++) {
      for (const [index, arm] of arms.entries()) {
        const started = performance.now();
        await arm();
        samples[index].push(performance.now() - started);
      }
    }
    return samples.map(stats);
  };

  // Peak resident memory of the process that does the work: agentd's server
  // process, or this one for the direct loop.
  const agentdRss = () => {
    const status = readFileSync(`/proc/${agentd.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  };
  const ownRss = () => process.memoryUsage().rss;
  // CPU time (user + system, ms) a process has used, from /proc: where a run's cost goes.
  const cpuMs = (pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  };
  const cpuNow = () => ({
    agentd: cpuMs(agentd.pid),
    'bare proxy': cpuMs(bare.pid),
    upstreams: cpuMs(upstream.pid),
    client: cpuMs(process.pid),
  });
  const concurrent = async (fn, rss) => {
    const cpuBefore = cpuNow();
    let peakRss = rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rss());
    }, 25);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < CONCURRENT_TOTAL) {
          next++;
          await fn();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const cpuAfter = cpuNow();
    const cpuPerRun = Object.fromEntries(
      Object.keys(cpuAfter).map((name) => [name, (cpuAfter[name] - cpuBefore[name]) / CONCURRENT_TOTAL]),
    );
    return { perSecond: CONCURRENT_TOTAL / seconds, peakRssMb: peakRss / 1024 / 1024, cpuPerRun };
  };

  // Throughput of each arm: the arms take turns for LOAD_ROUNDS rounds, and
  // each reports its median round, so a busy moment of the machine does not
  // decide a ratio.
  const underLoad = async (arms) => {
    const rounds = arms.map(() => []);
    for (let round = 0; round < LOAD_ROUNDS; round++) {
      for (const [index, arm] of arms.entries()) rounds[index].push(await arm());
    }
    return rounds.map((measured) => {
      const sorted = [...measured].sort((a, b) => a.perSecond - b.perSecond);
      return sorted[Math.floor(sorted.length / 2)];
    });
  };

  const results = {};
  for (const [name, withTools] of [
    ['0 tool calls', false],
    [`${TOOL_CALLS} tool calls`, true],
  ]) {
    const [agentdLatency, directLatency] = await sequential([
      () => viaAgentd(withTools),
      () => direct(withTools),
    ]);
    const arms = [
      () => concurrent(() => viaAgentd(withTools), agentdRss),
      () => concurrent(() => direct(withTools), ownRss),
      ...(withTools ? [] : [() => concurrent(viaBareProxy, ownRss)]),
    ];
    const [agentdLoad, directLoad, bareLoad] = await underLoad(arms);
    results[name] = {
      bareLoad,
      agentdLatency,
      directLatency,
      agentdLoad,
      directLoad,
    };
  }

  console.log(
    `\nagentd run-loop benchmark (embedded: PGlite, fake model at zero latency)${quick ? ' [quick]' : ''}`,
  );
  console.log(
    `sequential runs: ${SEQUENTIAL} after ${WARMUP} warm-up; load: ${CONCURRENT_TOTAL} runs, ${IN_FLIGHT} in flight, median of ${LOAD_ROUNDS} rounds\n`,
  );
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name}`);
    console.log(
      `  latency agentd  p50 ${fmt(r.agentdLatency.p50)}  p95 ${fmt(r.agentdLatency.p95)}  p99 ${fmt(r.agentdLatency.p99)}`,
    );
    console.log(
      `  latency direct  p50 ${fmt(r.directLatency.p50)}  p95 ${fmt(r.directLatency.p95)}  p99 ${fmt(r.directLatency.p99)}`,
    );
    console.log(
      `  runs/s at ${IN_FLIGHT} in flight: agentd ${r.agentdLoad.perSecond.toFixed(1)}, direct ${r.directLoad.perSecond.toFixed(1)}, ratio ${(r.agentdLoad.perSecond / r.directLoad.perSecond).toFixed(2)}`,
    );
    if (r.bareLoad) {
      console.log(
        `  runs/s at ${IN_FLIGHT} in flight: bare proxy ${r.bareLoad.perSecond.toFixed(1)}, ratio to direct ${(r.bareLoad.perSecond / r.directLoad.perSecond).toFixed(2)}; agentd to bare proxy ${(r.agentdLoad.perSecond / r.bareLoad.perSecond).toFixed(2)}`,
      );
    }
    const cpu = (load) =>
      Object.entries(load.cpuPerRun)
        .filter(([, ms]) => ms >= 0.005)
        .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
        .join(', ');
    console.log(`  CPU ms per run under load, agentd arm: ${cpu(r.agentdLoad)}`);
    console.log(`  CPU ms per run under load, direct arm: ${cpu(r.directLoad)}`);
    if (r.bareLoad) console.log(`  CPU ms per run under load, bare proxy arm: ${cpu(r.bareLoad)}`);
    console.log(
      `  peak RSS under load: agentd ${r.agentdLoad.peakRssMb.toFixed(0)} MB, direct ${r.directLoad.peakRssMb.toFixed(0)} MB`,
    );
  }
  const plain = results['0 tool calls'];
  const tooled = results[`${TOOL_CALLS} tool calls`];
  // A run with N tool calls is the plain run plus N steps (a model turn and a
  // tool call each), so the difference between the two runs' overheads is the
  // overhead of N steps, without the per-run costs (auth, create, final write).
  const overhead = (run, p) => run.agentdLatency[p] - run.directLatency[p];
  const p50Overhead = (overhead(tooled, 'p50') - overhead(plain, 'p50')) / TOOL_CALLS;
  const p95Overhead = (overhead(tooled, 'p95') - overhead(plain, 'p95')) / TOOL_CALLS;
  console.log('\noverhead per run (auth, create, persist the final response, answer):');
  console.log(`  p50 ${fmt(overhead(plain, 'p50'))}  p95 ${fmt(overhead(plain, 'p95'))}`);
  const ratio = tooled.agentdLoad.perSecond / tooled.directLoad.perSecond;
  const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');
  console.log('\noverhead per step (a model turn plus a tool call, beyond the direct loop):');
  console.log(`  p50 ${fmt(p50Overhead)} (target ≤ 2 ms: ${verdict(p50Overhead <= 2)})`);
  console.log(`  p95 ${fmt(p95Overhead)} (target ≤ 5 ms: ${verdict(p95Overhead <= 5)})`);
  console.log(`  throughput ratio ${ratio.toFixed(2)} (target ≥ 0.50: ${verdict(ratio >= 0.5)})\n`);

  for (const child of [agentd, bare]) {
    child.stdin.end();
    await once(child, 'exit');
  }
  upstream.stdin.end();
  await once(upstream, 'exit');
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
