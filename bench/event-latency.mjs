// Event latency across processes (issue 12, item 8), alone: one API process
// and one worker on the machine's PostgreSQL and Redis; runs of a model
// streaming a token every 2 ms are streamed through the API process, N at
// once, and each event's receipt by the client is set against the moment the
// worker published it (after its write) and the loop appended it
// (bench/scaled-streams.mjs). bench/scaled.mjs measures the same as its second
// part, after its throughput rounds; this one fits in a few minutes and prints
// the API process's CPU per event too.
//
//   node bench/event-latency.mjs [--runs N] [--streams N] [--rounds N] [--before DIR]
//
// --before DIR: a built checkout of the code before a change; its own pair (on
// a database of its own) streams in rounds alternating with this one's, and
// the two are printed side by side. --streams: runs streamed at once (16).
import { loadavg } from 'node:os';
import { flag, option, startModel, startScaledPair } from './scaled-cluster.mjs';
import { eventLatency, streamedRuns } from './scaled-streams.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const RUNS = Number(option('--runs', flag('--quick') ? 32 : 160));
const IN_FLIGHT = Number(option('--streams', 16));
const ROUNDS = Number(option('--rounds', 2));
const BEFORE = option('--before');

async function main() {
  const loadAtStart = loadavg()[0];
  const model = await startModel();
  const arms = { now: await startScaledPair(model.env, { timed: true }) };
  if (BEFORE) arms.before = await startScaledPair(model.env, { root: BEFORE, timed: true });
  for (const arm of Object.values(arms)) await streamedRuns(arm.api, IN_FLIGHT, IN_FLIGHT); // warm-up

  const results = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
  const perRound = Math.ceil(RUNS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, arm] of Object.entries(arms)) {
      results[name].push(await eventLatency({ ...arm, runs: perRound, inFlight: IN_FLIGHT }));
    }
  }
  for (const arm of Object.values(arms)) await arm.cluster.close();
  await model.close();

  console.log(
    `\nagentd event latency: ${perRound * ROUNDS} runs of the 2 ms/token model an arm, streamed through one API process, ${IN_FLIGHT} at once, in ${ROUNDS} rounds alternating between the arms; ${new Date().toISOString()}, load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`,
  );
  const rows = [
    ['events', (r) => String(r.events)],
    ["worker's publish to the client, p50", (r) => fmt(stats(r.fromPublish).p50)],
    ['                           p95', (r) => fmt(stats(r.fromPublish).p95)],
    ['                           p99', (r) => fmt(stats(r.fromPublish).p99)],
    ["the loop's append to the client, p50", (r) => fmt(stats(r.fromAppend).p50)],
    ['                           p99', (r) => fmt(stats(r.fromAppend).p99)],
    ["a run's first text delta from its append, p50", (r) => fmt(stats(r.firstDeltaFromAppend).p50)],
    ['API process CPU per event', (r) => `${r.apiCpuUsPerEvent.toFixed(0)} µs`],
  ];
  const merged = Object.fromEntries(
    Object.entries(results).map(([name, list]) => [
      name,
      {
        events: list.reduce((sum, r) => sum + r.events, 0),
        fromPublish: list.flatMap((r) => r.fromPublish),
        fromAppend: list.flatMap((r) => r.fromAppend),
        firstDeltaFromAppend: list.flatMap((r) => r.firstDeltaFromAppend),
        apiCpuUsPerEvent: list.reduce((sum, r) => sum + r.apiCpuUsPerEvent, 0) / list.length,
      },
    ]),
  );
  console.log(
    `  ${''.padEnd(48)}${Object.keys(merged)
      .map((name) => name.padStart(12))
      .join('')}`,
  );
  for (const [label, cell] of rows) {
    console.log(
      `  ${label.padEnd(48)}${Object.values(merged)
        .map((r) => cell(r).padStart(12))
        .join('')}`,
    );
  }
  const publish = stats(merged.now.fromPublish);
  const append = stats(merged.now.fromAppend);
  console.log(
    `  now, publish to client: p50 ${verdict(publish.p50 <= 2)} (≤ 2 ms), p99 ${verdict(publish.p99 <= 10)} (≤ 10 ms); append to client: p50 ${verdict(append.p50 <= 2)}, p99 ${verdict(append.p99 <= 10)}\n`,
  );
}

await main();
