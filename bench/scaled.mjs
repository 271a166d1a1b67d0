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

import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { cpuMs, flag, option, startModel, startScaledPair } from './scaled-cluster.mjs';
import { eventLatency, now, readEvents } from './scaled-streams.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const quick = flag('--quick');
const BEFORE = option('--before');
const THROUGHPUT_ONLY = flag('--throughput-only');
const IN_FLIGHT = 64;
const RUNS_PER_ROUND = Number(option('--runs', quick ? 192 : 960));
const ROUNDS = quick ? 1 : 3;
const LATENCY_RUNS = quick ? 32 : 160;
const LATENCY_IN_FLIGHT = 16;
const KILLS = quick ? 1 : 3;
const LEASE_MS = 5_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** A scaled pair and an embedded process of the code in `root` (this checkout's when undefined), warmed up. */
async function startArms(modelEnv, root) {
  const pair = await startScaledPair(
    { ...modelEnv, AGENTD_RUN_LEASE_MS: String(LEASE_MS) },
    { root, timed: true },
  );
  const embedded = await spawnAgentd(
    { ...modelEnv, AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
    root ? { root } : {},
  );
  const scaledApi = client(pair.api.url, pair.api.key);
  const embeddedApi = client(embedded.url, embedded.key);
  await throughput(scaledApi, IN_FLIGHT);
  await throughput(embeddedApi, IN_FLIGHT);
  return {
    ...pair,
    scaledApi,
    embeddedApi,
    scaledParties: { api: pair.api.child.pid, worker: pair.worker.child.pid, client: process.pid },
    embeddedParties: { agentd: embedded.child.pid, client: process.pid },
    async closeEmbedded() {
      embedded.child.stdin.end();
      await once(embedded.child, 'exit');
      rmSync(embedded.dataDir, { recursive: true, force: true });
    },
  };
}

const medianOf = (list) => [...list].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(list.length / 2)];
const cpuText = (round) =>
  Object.entries(round.cpu)
    .map(([party, ms]) => `${party} ${ms.toFixed(2)}`)
    .join(', ');

/** Part 1: runs per second, rounds alternating between every arm's scaled pair and embedded process. */
async function throughputRounds(arms) {
  const rounds = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, arm] of Object.entries(arms)) {
      const scaled = await measured(arm.scaledApi, RUNS_PER_ROUND, arm.scaledParties);
      const embedded = await measured(arm.embeddedApi, RUNS_PER_ROUND, arm.embeddedParties);
      rounds[`scaled${name}`] = [...(rounds[`scaled${name}`] ?? []), scaled];
      rounds[`embedded${name}`] = [...(rounds[`embedded${name}`] ?? []), embedded];
    }
  }
  console.log(
    `\nthroughput, ${IN_FLIGHT} in flight, ${RUNS_PER_ROUND} runs a round, median of ${ROUNDS} (CPU ms per run of the median round; postgres and redis-server: every process of the machine's servers):`,
  );
  for (const [name, list] of Object.entries(rounds)) {
    const m = medianOf(list);
    console.log(
      `  ${name.padEnd(18)} ${m.perSecond.toFixed(1)} runs/s (rounds ${list.map((r) => r.perSecond.toFixed(0)).join(', ')}); CPU: ${cpuText(m)}`,
    );
  }
  const ratios = Object.keys(arms).map((name) => {
    const ratio = medianOf(rounds[`scaled${name}`]).perSecond / medianOf(rounds[`embedded${name}`]).perSecond;
    return `${name.trim() || 'now'} ${ratio.toFixed(2)}${name ? '' : ` (target ≥ 0.8: ${verdict(ratio >= 0.8)})`}`;
  });
  console.log(`  ratio scaled/embedded: ${ratios.join(', ')}`);
}

/** Part 2: event latency across processes, rounds alternating between the arms' scaled pairs. */
async function latencyRounds(arms) {
  const results = {};
  for (let round = 0; round < 2; round++) {
    for (const [name, arm] of Object.entries(arms)) {
      const r = await eventLatency({ ...arm, runs: LATENCY_RUNS / 2, inFlight: LATENCY_IN_FLIGHT });
      const key = name.trim() || 'now';
      results[key] ??= { fromPublish: [], fromAppend: [], first: [], events: 0 };
      const into = results[key];
      into.fromPublish.push(...r.fromPublish);
      into.fromAppend.push(...r.fromAppend);
      into.first.push(...r.firstDeltaFromAppend);
      into.events += r.events;
    }
  }
  console.log(
    `event latency through the API process, ${LATENCY_RUNS} runs of the 2 ms/token model an arm, ${LATENCY_IN_FLIGHT} streams at once:`,
  );
  for (const [name, r] of Object.entries(results)) {
    const publish = stats(r.fromPublish);
    const append = stats(r.fromAppend);
    const first = stats(r.first);
    console.log(
      `  ${name.padEnd(7)} ${r.events} events; worker's publish to the client p50 ${fmt(publish.p50)}  p95 ${fmt(publish.p95)}  p99 ${fmt(publish.p99)}; the loop's append to the client p50 ${fmt(append.p50)}  p99 ${fmt(append.p99)} (targets 2 / 10 ms: ${verdict(append.p50 <= 2 && append.p99 <= 10)}); first text delta from its append p50 ${fmt(first.p50)}`,
    );
  }
}

/** Part 3: failover: a second worker, then SIGKILL the one holding a streamed run. */
async function failovers({ cluster, worker, scaledApi }) {
  const times = [];
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
    times.push({ ms: nextEvent.at - killedAt, type: nextEvent.type });
    await reading;
    workers = [...workers.filter((proc) => proc !== victim), await cluster.spawn('worker')];
    await cluster.stop(victim);
  }
  console.log(
    `SIGKILL of the worker holding a run to the run's next event on the client (lease ${LEASE_MS} ms):`,
  );
  for (const { ms, type } of times) {
    console.log(
      `  ${(ms / 1000).toFixed(2)} s, next event ${type} (target ≤ lease + 1 s: ${verdict(ms <= LEASE_MS + 1000)})`,
    );
  }
}

async function main() {
  const loadAtStart = loadavg()[0];
  const model = await startModel();
  const arms = { '': await startArms(model.env) };
  if (BEFORE) arms[' (before)'] = await startArms(model.env, BEFORE);
  console.log(
    `\nagentd scaled mode: one API process and one worker on PostgreSQL and Redis, against embedded mode${quick ? ' [quick]' : ''}`,
  );
  await throughputRounds(arms);
  for (const arm of Object.values(arms)) await arm.closeEmbedded();
  if (!THROUGHPUT_ONLY) await latencyRounds(arms);
  if (BEFORE) await arms[' (before)'].cluster.close();
  if (!THROUGHPUT_ONLY) await failovers(arms['']);
  await arms[''].cluster.close();
  await model.close();
  console.log(
    `${new Date().toISOString()}, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n`,
  );
}

await main();
