// Event latency across processes (issue 12, item 8), alone: one API process
// and one worker on the machine's PostgreSQL and Redis; runs of a model
// streaming a token every 2 ms are streamed through the API process
// (POST /v1/responses, stream: true), LATENCY_IN_FLIGHT at once, and each
// event's receipt by the client is set against the moment the worker
// published it (after its write) and the loop appended it, on this machine's
// clock (bench/timed-agentd-process.mjs records those). bench/scaled.mjs
// measures the same as its second part, after its throughput rounds; this one
// fits in a few minutes and prints the API process's CPU per event too.
//
//   node bench/event-latency.mjs [--runs N]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchCluster } from './scaled-cluster.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 160;
const IN_FLIGHT = 16;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Reads an SSE response, calling `onEvent(type, data, receivedAt)` for each event. */
async function readEvents(response, onEvent) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    const at = now();
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type && data) onEvent(type, JSON.parse(data), at);
      end = buffer.indexOf('\n\n');
    }
  }
}

async function streamedRuns(url, key, runs) {
  const received = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < runs) {
        next++;
        const response = await fetch(`${url}/v1/responses`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'agentd-events': 'all',
          },
          body: JSON.stringify({ model: 'bench-slow', input: 'Count.', stream: true }),
        });
        let id;
        await readEvents(response, (type, data, at) => {
          id ??= data.response?.id;
          received.set(`${id}/${data.sequence_number}`, { at, type });
        });
      }
    }),
  );
  return received;
}

async function main() {
  const loadAtStart = loadavg()[0];
  const upstream = spawn(process.execPath, [new URL('./upstreams.mjs', import.meta.url).pathname, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  const timingsFile = join(tmpdir(), `agentd-bench-timings-${process.pid}.json`);
  process.env.BENCH_TIMINGS_FILE = timingsFile;
  const cluster = await BenchCluster.start({
    OPENAI_BASE_URL: model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
  });
  const api = await cluster.spawn('api');
  const worker = await cluster.spawn('worker', {}, { timed: true });

  await streamedRuns(api.url, api.key, IN_FLIGHT); // warm-up
  process.kill(worker.child.pid, 'SIGUSR2');
  await sleep(200);
  const cpuBefore = cpuMs(api.child.pid);
  const started = performance.now();
  const received = await streamedRuns(api.url, api.key, RUNS);
  const seconds = (performance.now() - started) / 1000;
  const apiCpu = cpuMs(api.child.pid) - cpuBefore;
  rmSync(timingsFile, { force: true });
  process.kill(worker.child.pid, 'SIGUSR2');
  while (!existsSync(timingsFile)) await sleep(50);
  await sleep(200);
  const timings = JSON.parse(readFileSync(timingsFile, 'utf8'));
  rmSync(timingsFile, { force: true });
  await cluster.close();
  upstream.stdin.end();
  await once(upstream, 'exit');

  const fromPublish = [];
  const fromAppend = [];
  for (const [key, { at }] of received) {
    const timing = timings[key];
    if (!timing?.published) continue;
    fromPublish.push(at - timing.published);
    if (timing.appended) fromAppend.push(at - timing.appended);
  }
  const publish = stats(fromPublish);
  const append = stats(fromAppend);
  console.log(
    `\nagentd event latency: ${RUNS} runs of the 2 ms/token model streamed through one API process, ${IN_FLIGHT} at once, ${received.size} events in ${seconds.toFixed(1)} s; ${new Date().toISOString()}, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  );
  console.log(
    `  worker's publish to the client's receipt: p50 ${fmt(publish.p50)} (target ≤ 2 ms: ${verdict(publish.p50 <= 2)})  p95 ${fmt(publish.p95)}  p99 ${fmt(publish.p99)} (target ≤ 10 ms: ${verdict(publish.p99 <= 10)})`,
  );
  console.log(`  the loop's append to the client's receipt: p50 ${fmt(append.p50)}  p99 ${fmt(append.p99)}`);
  console.log(
    `  API process CPU: ${apiCpu} ms for ${RUNS} runs (${(apiCpu / RUNS).toFixed(2)} ms per run, ${((apiCpu * 1000) / Math.max(1, received.size)).toFixed(0)} µs per event)\n`,
  );
}

await main();
