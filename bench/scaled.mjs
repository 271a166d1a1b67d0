// Scaled mode (issue 12, item 8): one API process and one worker on the
// machine's PostgreSQL and Redis, against embedded mode (one process, PGlite),
// measured in one run:
//   1. runs per second with 64 in flight, the zero-latency fake model, each
//      run a plain POST /v1/responses answered once the run ended; rounds
//      alternate between the modes and each reports its median;
//   2. event latency across processes: from the worker publishing a persisted
//      event (and from its append by the loop) to the client receiving it on
//      the API process's SSE stream, 16 streams at once, the model streaming a
//      token every 2 ms; both clocks are this machine's;
//   3. failover: a worker holding a streamed run is killed with SIGKILL; the
//      time until the client's stream (held on the API process) gets the
//      run's next event, carried on by the other worker, against the lease.
//
//   node bench/scaled.mjs [--quick] [--throughput-only] [--runs N] [--before DIR]
//
// --before DIR: a built checkout of the code before a change; its scaled pair
// (on a database of its own) and its embedded process join the throughput
// rounds, which then alternate between four arms. --throughput-only skips
// parts 2 and 3. --runs N: runs per round.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchCluster } from './scaled-cluster.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const quick = process.argv.includes('--quick');
const option = (name) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const BEFORE = option('--before');
const THROUGHPUT_ONLY = process.argv.includes('--throughput-only');
const IN_FLIGHT = 64;
const RUNS_PER_ROUND = Number(option('--runs') ?? (quick ? 192 : 960));
const ROUNDS = quick ? 1 : 3;
const LATENCY_RUNS = quick ? 32 : 160;
const LATENCY_IN_FLIGHT = 16;
const KILLS = quick ? 1 : 3;
const LEASE_MS = 5_000;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads an SSE response, calling `onEvent(event, data, receivedAt)` for each event. */
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

const client = (url, key) => ({
  post: (path, body, headers = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  get: (path, headers = {}) =>
    fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } }),
});

// Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times.
const CLOCK_TICKS = 100;

/** CPU time (user + system, ms) a process has used; 0 once it is gone. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** The pids of the processes named `comm` (PostgreSQL's backends, the Redis server). */
function pidsNamed(comm) {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    });
}

/** CPU ms so far of each party: pids by name, and every postgres and redis-server process. */
function cpuNow(parties) {
  const sum = (pids) => pids.reduce((total, pid) => total + cpuMs(pid), 0);
  return {
    ...Object.fromEntries(Object.entries(parties).map(([name, pid]) => [name, cpuMs(pid)])),
    postgres: sum(pidsNamed('postgres')),
    redis: sum(pidsNamed('redis-server')),
  };
}

/** Runs `total` runs at IN_FLIGHT and returns runs/s, with each party's CPU ms per run. */
async function measured(api, total, parties) {
  const before = cpuNow(parties);
  const perSecond = await throughput(api, total);
  const after = cpuNow(parties);
  const cpu = Object.fromEntries(
    Object.keys(after).map((name) => [name, (after[name] - before[name]) / total]),
  );
  return { perSecond, cpu };
}

async function throughput(api, total) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < total) {
        next++;
        const response = await api.post('/v1/responses', { model: 'bench-model', input: 'What is 1 + 2?' });
        const body = await response.json();
        if (body.status !== 'completed')
          throw new Error(`run ended ${body.status}: ${JSON.stringify(body.error)}`);
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** Streams `runs` runs of the 2 ms/token model, LATENCY_IN_FLIGHT at once; the receive time of each event. */
async function streamedRuns(api, runs) {
  const received = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: LATENCY_IN_FLIGHT }, async () => {
      while (next < runs) {
        next++;
        const response = await api.post(
          '/v1/responses',
          { model: 'bench-slow', input: 'Count.', stream: true },
          { 'agentd-events': 'all' },
        );
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

/** The code before a change (--before): its own scaled pair on a database of its own, and its embedded process. */
async function beforeArms(modelEnv) {
  const cluster = await BenchCluster.start(
    { ...modelEnv, AGENTD_RUN_LEASE_MS: String(LEASE_MS) },
    { root: BEFORE },
  );
  const api = await cluster.spawn('api');
  const worker = await cluster.spawn('worker');
  const embedded = await spawnAgentd(
    { ...modelEnv, AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
    { root: BEFORE },
  );
  const scaledApi = client(api.url, api.key);
  const embeddedApi = client(embedded.url, embedded.key);
  await throughput(scaledApi, IN_FLIGHT);
  await throughput(embeddedApi, IN_FLIGHT);
  return {
    scaledApi,
    embeddedApi,
    scaledParties: { api: api.child.pid, worker: worker.child.pid, client: process.pid },
    embeddedParties: { agentd: embedded.child.pid, client: process.pid },
    async close() {
      embedded.child.stdin.end();
      await once(embedded.child, 'exit');
      rmSync(embedded.dataDir, { recursive: true, force: true });
      await cluster.close();
    },
  };
}

async function main() {
  const upstream = spawn(process.execPath, [new URL('./upstreams.mjs', import.meta.url).pathname, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  const modelEnv = { OPENAI_BASE_URL: model, OPENAI_API_KEY: 'bench', AGENTD_DEFAULT_MODEL: 'bench-model' };
  const timingsFile = join(tmpdir(), `agentd-bench-timings-${process.pid}.json`);
  process.env.BENCH_TIMINGS_FILE = timingsFile;

  const cluster = await BenchCluster.start({ ...modelEnv, AGENTD_RUN_LEASE_MS: String(LEASE_MS) });
  const apiProc = await cluster.spawn('api');
  const worker = await cluster.spawn('worker', {}, { timed: true });
  const embedded = await spawnAgentd({ ...modelEnv, AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' });
  const scaledApi = client(apiProc.url, apiProc.key);
  const embeddedApi = client(embedded.url, embedded.key);

  // 1. Throughput, warm-up first.
  await throughput(scaledApi, IN_FLIGHT);
  await throughput(embeddedApi, IN_FLIGHT);
  const rounds = { scaled: [], embedded: [] };
  const scaledParties = { api: apiProc.child.pid, worker: worker.child.pid, client: process.pid };
  const embeddedParties = { agentd: embedded.child.pid, client: process.pid };
  const before = BEFORE ? await beforeArms(modelEnv) : undefined;
  if (before) {
    rounds['scaled (before)'] = [];
    rounds['embedded (before)'] = [];
  }
  for (let round = 0; round < ROUNDS; round++) {
    rounds.scaled.push(await measured(scaledApi, RUNS_PER_ROUND, scaledParties));
    if (before)
      rounds['scaled (before)'].push(await measured(before.scaledApi, RUNS_PER_ROUND, before.scaledParties));
    rounds.embedded.push(await measured(embeddedApi, RUNS_PER_ROUND, embeddedParties));
    if (before) {
      rounds['embedded (before)'].push(
        await measured(before.embeddedApi, RUNS_PER_ROUND, before.embeddedParties),
      );
    }
  }
  if (before) {
    const medianOf = (list) =>
      [...list].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(list.length / 2)];
    console.log(`\nthroughput, ${IN_FLIGHT} in flight, ${RUNS_PER_ROUND} runs a round, median of ${ROUNDS}:`);
    for (const [name, list] of Object.entries(rounds)) {
      const m = medianOf(list);
      const cpu = Object.entries(m.cpu)
        .map(([party, ms]) => `${party} ${ms.toFixed(2)}`)
        .join(', ');
      console.log(
        `  ${name.padEnd(18)} ${m.perSecond.toFixed(1)} runs/s (rounds ${list.map((r) => r.perSecond.toFixed(0)).join(', ')}); CPU ms per run: ${cpu}`,
      );
    }
    const ratio = (s, e) => (medianOf(rounds[s]).perSecond / medianOf(rounds[e]).perSecond).toFixed(2);
    console.log(
      `  ratio scaled/embedded: now ${ratio('scaled', 'embedded')}, before ${ratio('scaled (before)', 'embedded (before)')}`,
    );
    await before.close();
  }
  const median = (list) => [...list].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(list.length / 2)];
  const scaledMedian = median(rounds.scaled);
  const embeddedMedian = median(rounds.embedded);
  const scaledRate = scaledMedian.perSecond;
  const embeddedRate = embeddedMedian.perSecond;
  embedded.child.stdin.end();
  await once(embedded.child, 'exit');
  rmSync(embedded.dataDir, { recursive: true, force: true });
  if (THROUGHPUT_ONLY) {
    await cluster.close();
    upstream.stdin.end();
    await once(upstream, 'exit');
    console.log(
      `\nruns/s with ${IN_FLIGHT} in flight: scaled ${scaledRate.toFixed(1)}, embedded ${embeddedRate.toFixed(1)}, ratio ${(scaledRate / embeddedRate).toFixed(2)} (target ≥ 0.8: ${verdict(scaledRate / embeddedRate >= 0.8)})\n`,
    );
    return;
  }

  // 2. Event latency across processes.
  process.kill(worker.child.pid, 'SIGUSR2');
  await sleep(200);
  const received = await streamedRuns(scaledApi, LATENCY_RUNS);
  rmSync(timingsFile, { force: true });
  process.kill(worker.child.pid, 'SIGUSR2');
  while (!existsSync(timingsFile)) await sleep(50);
  await sleep(200);
  const timings = JSON.parse(readFileSync(timingsFile, 'utf8'));
  rmSync(timingsFile, { force: true });
  const fromPublish = [];
  const fromAppend = [];
  const firstDeltaFromAppend = [];
  for (const [key, { at, type }] of received) {
    const timing = timings[key];
    if (!timing?.published) continue;
    fromPublish.push(at - timing.published);
    if (timing.appended) fromAppend.push(at - timing.appended);
    if (
      type === 'response.output_text.delta' &&
      timing.appended &&
      !received.has(`${key.split('/')[0]}/first`)
    ) {
      received.set(`${key.split('/')[0]}/first`, {});
      firstDeltaFromAppend.push(at - timing.appended);
    }
  }

  // 3. Failover: a second worker, then SIGKILL the one holding a streamed run.
  const failovers = [];
  let workers = [worker, await cluster.spawn('worker')];
  for (let kill = 0; kill < KILLS; kill++) {
    const response = await scaledApi.post(
      '/v1/responses',
      { model: 'bench-long', input: 'Count slowly.', stream: true },
      { 'agentd-events': 'all' },
    );
    let killedAt;
    let id;
    let deltas = 0;
    let nextEvent;
    const reading = readEvents(response, (type, data, at) => {
      id ??= data.response?.id;
      if (type === 'response.output_text.delta') deltas++;
      if (killedAt !== undefined && nextEvent === undefined) nextEvent = { at, type };
    });
    while (deltas < 5) await sleep(10);
    const pid = await cluster.holder(id);
    const victim = workers.find((proc) => proc.child.pid === pid);
    if (!victim) throw new Error(`run ${id} is held by ${pid}, not a benchmark worker`);
    killedAt = now();
    victim.child.kill('SIGKILL');
    await once(victim.child, 'exit');
    while (nextEvent === undefined) await sleep(10);
    failovers.push({ ms: nextEvent.at - killedAt, type: nextEvent.type });
    await reading;
    workers = [...workers.filter((proc) => proc !== victim), await cluster.spawn('worker')];
    await cluster.stop(victim);
  }

  await cluster.close();
  upstream.stdin.end();
  await once(upstream, 'exit');

  const ratio = scaledRate / embeddedRate;
  const publishStats = stats(fromPublish);
  const appendStats = stats(fromAppend);
  const firstStats = stats(firstDeltaFromAppend);
  console.log(
    `\nagentd scaled mode: one API process and one worker on PostgreSQL and Redis${quick ? ' [quick]' : ''}`,
  );
  console.log(
    `runs/s with ${IN_FLIGHT} in flight (${RUNS_PER_ROUND} runs a round, median of ${ROUNDS}): scaled ${scaledRate.toFixed(1)}, embedded ${embeddedRate.toFixed(1)}, ratio ${ratio.toFixed(2)} (target ≥ 0.8: ${verdict(ratio >= 0.8)})`,
  );
  const rates = (list) => list.map((r) => r.perSecond.toFixed(0)).join(', ');
  const cpu = (round) =>
    Object.entries(round.cpu)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ');
  console.log(`  rounds: scaled ${rates(rounds.scaled)}; embedded ${rates(rounds.embedded)}`);
  console.log(
    `  CPU ms per run (median round; postgres and redis-server: every process of the machine's servers):`,
  );
  console.log(`    scaled: ${cpu(scaledMedian)}`);
  console.log(`    embedded: ${cpu(embeddedMedian)}`);
  console.log(
    `event latency, worker's publish (after the write) to the client's receipt through the API process, ${fromPublish.length} events of ${LATENCY_RUNS} runs, ${LATENCY_IN_FLIGHT} streams at once:`,
  );
  console.log(
    `  p50 ${fmt(publishStats.p50)} (target ≤ 2 ms: ${verdict(publishStats.p50 <= 2)})  p95 ${fmt(publishStats.p95)}  p99 ${fmt(publishStats.p99)} (target ≤ 10 ms: ${verdict(publishStats.p99 <= 10)})`,
  );
  console.log(
    `  from the loop's append instead (adds the frame a later delta waits and the database write): p50 ${fmt(appendStats.p50)}  p99 ${fmt(appendStats.p99)}; first text delta of a run: p50 ${fmt(firstStats.p50)}  p99 ${fmt(firstStats.p99)}`,
  );
  console.log(
    `SIGKILL of the worker holding a run to the run's next event on the client (lease ${LEASE_MS} ms):`,
  );
  for (const { ms, type } of failovers) {
    console.log(
      `  ${(ms / 1000).toFixed(2)} s, next event ${type} (target ≤ lease + 1 s: ${verdict(ms <= LEASE_MS + 1000)})`,
    );
  }
  console.log('');
}

await main();
