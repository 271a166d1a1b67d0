// Many idle SSE streams on one API process (issue 12, item 8): scaled mode
// (PostgreSQL and Redis), one API process and no worker, so every run stays
// queued and its stream idle but for heartbeats (AGENTD_SSE_HEARTBEAT_MS).
// A stream of a run waiting for a worker costs the API process what a stream
// of any idle run does: an open connection, a heartbeat timer, a follower of
// the run (a Redis subscription, and a read of the log every quietMs).
// The streams are held by load-generator processes (bench/stream-holder.mjs),
// so the figure is the API process's own resident memory. Measured: its RSS
// per stream, the heartbeats' gaps (on time = close to the interval), and the
// latency of new requests (GET a response, POST a background run) while the
// streams are open.
//
//   node bench/streams.mjs [--quick] [--streams N]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { BenchCluster } from './scaled-cluster.mjs';
import { fmt, mb, rssOf, stats, verdict } from './stats.mjs';

// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;

/** CPU time (user + system, ms) a process has used. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** A gauge of the API process's /metrics (the V8 heap in use, the open streams). */
async function gauge(api, name) {
  const text = await (await api.get('/metrics')).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}

const quick = process.argv.includes('--quick');
const countArg = process.argv.indexOf('--streams');
const STREAMS = countArg > 0 ? Number(process.argv[countArg + 1]) : quick ? 1_000 : 10_000;
const HOLDERS = Math.max(1, Math.ceil(STREAMS / 2_500));
const HEARTBEAT_MS = 2_000;
const SETTLE_MS = quick ? 6_000 : 10_000;
const PROBES = quick ? 100 : 400;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function startHolder(url, key, ids) {
  const child = spawn(
    process.execPath,
    [new URL('./stream-holder.mjs', import.meta.url).pathname, JSON.stringify({ url, key, ids })],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line)));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const report = () => {
    const answer = next();
    child.stdin.write('report\n');
    return answer;
  };
  return { child, opened: next(), report };
}

async function probeLatency(api, ids) {
  const samples = [];
  for (let i = 0; i < PROBES; i++) {
    const started = performance.now();
    if (i % 2 === 0) {
      const response = await api.get(`/v1/responses/${ids[i % ids.length]}`);
      await response.json();
    } else {
      const response = await api.post('/v1/responses', { input: 'probe', background: true });
      await response.json();
    }
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

async function main() {
  const loadAtStart = loadavg()[0];
  const cluster = await BenchCluster.start({
    AGENTD_SSE_HEARTBEAT_MS: String(HEARTBEAT_MS),
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
  });
  const apiProc = await cluster.spawn('api');
  const headers = { authorization: `Bearer ${apiProc.key}`, 'content-type': 'application/json' };
  const api = {
    get: (path) => fetch(`${apiProc.url}${path}`, { headers }),
    post: (path, body) =>
      fetch(`${apiProc.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
  };

  // The runs, queued for a worker that never comes.
  const ids = [];
  let next = 0;
  const creating = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < STREAMS) {
        next++;
        const response = await api.post('/v1/responses', { input: 'wait', background: true });
        const body = await response.json();
        if (!body.id) throw new Error(`create failed: ${JSON.stringify(body)}`);
        ids.push(body.id);
      }
    }),
  );
  const createSeconds = (performance.now() - creating) / 1000;
  const idle = await probeLatency(api, ids);
  await sleep(2_000);
  const rssBefore = rssOf(apiProc.child.pid);
  const heapBefore = await gauge(api, 'agentd_nodejs_heap_size_used_bytes');

  const opening = performance.now();
  const share = Math.ceil(STREAMS / HOLDERS);
  const holders = Array.from({ length: HOLDERS }, (_, i) =>
    startHolder(apiProc.url, apiProc.key, ids.slice(i * share, (i + 1) * share)),
  );
  const opened = await Promise.all(holders.map((holder) => holder.opened));
  const openSeconds = (performance.now() - opening) / 1000;
  const open = opened.reduce((sum, o) => sum + o.opened, 0);
  const failed = opened.reduce((sum, o) => sum + o.failed, 0);
  // Let every follower settle (its first read of the log, its subscription), and forget the gaps so far.
  await sleep(SETTLE_MS);
  await Promise.all(holders.map((holder) => holder.report()));
  const loaded = await probeLatency(api, ids);
  // The API process's CPU while the streams only wait (heartbeats, followers' checks).
  const cpuBefore = cpuMs(apiProc.child.pid);
  await sleep(SETTLE_MS);
  const idleCpu = (cpuMs(apiProc.child.pid) - cpuBefore) / (SETTLE_MS / 1000);
  const rssAfter = rssOf(apiProc.child.pid);
  const heapAfter = await gauge(api, 'agentd_nodejs_heap_size_used_bytes');
  const openGauge = await gauge(api, 'agentd_open_streams');
  const gaps = (await Promise.all(holders.map((holder) => holder.report()))).flatMap((r) => r.gaps);
  const gapStats = stats(gaps);
  const late = gaps.filter((gap) => gap > HEARTBEAT_MS * 1.5).length;

  for (const holder of holders) {
    holder.child.stdin.end();
    await once(holder.child, 'exit');
  }
  await cluster.close();

  const perStream = (rssAfter - rssBefore) / Math.max(1, open);
  console.log(
    `\nagentd: ${STREAMS} idle SSE streams on one API process (scaled mode, heartbeat every ${HEARTBEAT_MS} ms)${quick ? ' [quick]' : ''}; ${new Date().toISOString()}, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  );
  console.log(
    `  ${STREAMS} runs created in ${createSeconds.toFixed(1)} s; streams opened: ${open} in ${openSeconds.toFixed(1)} s, ${failed} failed`,
  );
  console.log(
    `  API process RSS: ${mb(rssBefore)} before, ${mb(rssAfter)} with the streams open: ${(perStream / 1024).toFixed(1)} KB per stream (target ≤ 30 KB: ${verdict(perStream <= 30 * 1024)})`,
  );
  console.log(
    `  V8 heap in use: ${mb(heapBefore)} before, ${mb(heapAfter)} with the streams open: ${((heapAfter - heapBefore) / Math.max(1, open) / 1024).toFixed(1)} KB per stream (not collected first); agentd_open_streams ${openGauge}`,
  );
  console.log(
    `  API process CPU while the streams idle: ${idleCpu.toFixed(0)} ms per second (${((idleCpu * 1000) / Math.max(1, open)).toFixed(1)} µs per stream per second)`,
  );
  console.log(
    `  heartbeat gaps over ${(SETTLE_MS / 1000).toFixed(0)} s: ${gaps.length}, p50 ${fmt(gapStats.p50)}  p99 ${fmt(gapStats.p99)}; later than 1.5× the interval: ${late} (on time: ${verdict(late === 0 && gaps.length > 0)})`,
  );
  console.log(
    `  new requests (GET a response, POST a background run, alternating), ${PROBES} one at a time:`,
  );
  console.log(`    without the streams  p50 ${fmt(idle.p50)}  p99 ${fmt(idle.p99)}`);
  console.log(
    `    with the streams     p50 ${fmt(loaded.p50)}  p99 ${fmt(loaded.p99)} (target p99 ≤ 50 ms: ${verdict(loaded.p99 <= 50)})\n`,
  );
}

await main();
