// Event latency across processes (issue 12, item 8), alone: one API process
// and one worker on the machine's PostgreSQL and Redis; runs of a model
// streaming a token every 2 ms are streamed through the API process, N at
// once, and each event's receipt by the client is set against the moment the
// worker published it (after its write) and the loop appended it
// (bench/scaled-streams.mjs). bench/scaled.mjs measures the same as its second
// part, after its throughput rounds; this one fits in a few minutes and prints
// the API process's CPU per event too.
//
//   node bench/event-latency.mjs [--runs N] [--streams N] [--rounds N] [--before DIR] [--hold-back on|off|both]
//
// --before DIR: a built checkout of the code before a change; its own pair (on
// a database of its own) streams in rounds alternating with this one's, and
// the two are printed side by side. --streams: runs streamed at once (16).
// --hold-back: the safety hold-back on streamed output as by default (`on`),
// set to 0 characters (`off`: AGENTD_SAFETY_POLICY model_output.hold_back, the
// checks still run on each delta), or a pair of each (`both`, the default), so
// the loop's own latency shows apart from the hold-back's.
import { loadavg } from 'node:os';
import { flag, option, startModel, startScaledPair } from './scaled-cluster.mjs';
import { eventLatency, streamedRuns } from './scaled-streams.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const RUNS = Number(option('--runs', flag('--quick') ? 32 : 160));
const IN_FLIGHT = Number(option('--streams', 16));
const ROUNDS = Number(option('--rounds', 2));
const BEFORE = option('--before');
const HOLD_BACK = option('--hold-back', 'both');
const NO_HOLD_BACK = { AGENTD_SAFETY_POLICY: JSON.stringify({ model_output: { hold_back: 0 } }) };

/** The arms to start: each checkout, with the hold-back on and/or off. */
function armSpecs() {
  const checkouts = [['now', undefined], ...(BEFORE ? [['before', BEFORE]] : [])];
  const holds = HOLD_BACK === 'both' ? ['on', 'off'] : [HOLD_BACK];
  return checkouts.flatMap(([name, root]) =>
    holds.map((hold) => ({ name: holds.length > 1 && hold === 'off' ? `${name}, hb 0` : name, root, hold })),
  );
}

/** A percentile, or '-' when the checkout did not record it (an older timed process). */
const orNone = (samples, p) => (samples.length > 0 ? fmt(stats(samples)[p]) : '-');

async function main() {
  const loadAtStart = loadavg()[0];
  const model = await startModel();
  const arms = {};
  for (const { name, root, hold } of armSpecs()) {
    const env = hold === 'off' ? { ...model.env, ...NO_HOLD_BACK } : model.env;
    arms[name] = await startScaledPair(env, { timed: true, ...(root ? { root } : {}) });
  }
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
    ['  of which append to publish (frame, write), p50', (r) => fmt(stats(r.appendToPublish).p50)],
    ['                           p99', (r) => fmt(stats(r.appendToPublish).p99)],
    ['  of which append to write (the frame), p50', (r) => orNone(r.appendToWrite, 'p50')],
    ['                           p99', (r) => orNone(r.appendToWrite, 'p99')],
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
        appendToPublish: list.flatMap((r) => r.appendToPublish),
        appendToWrite: list.flatMap((r) => r.appendToWrite ?? []),
        firstDeltaFromAppend: list.flatMap((r) => r.firstDeltaFromAppend),
        apiCpuUsPerEvent: list.reduce((sum, r) => sum + r.apiCpuUsPerEvent, 0) / list.length,
      },
    ]),
  );
  console.log(
    `  hold-back: ${HOLD_BACK === 'both' ? "the default 200 characters; 'hb 0': none" : HOLD_BACK}`,
  );
  console.log(
    `  ${''.padEnd(48)}${Object.keys(merged)
      .map((name) => name.padStart(14))
      .join('')}`,
  );
  for (const [label, cell] of rows) {
    console.log(
      `  ${label.padEnd(48)}${Object.values(merged)
        .map((r) => cell(r).padStart(14))
        .join('')}`,
    );
  }
  for (const name of Object.keys(merged).filter((name) => name.startsWith('now'))) {
    const publish = stats(merged[name].fromPublish);
    const append = stats(merged[name].fromAppend);
    console.log(
      `  ${name}, publish to client: p50 ${verdict(publish.p50 <= 2)} (≤ 2 ms), p99 ${verdict(publish.p99 <= 10)} (≤ 10 ms); append to client: p50 ${verdict(append.p50 <= 2)}, p99 ${verdict(append.p99 <= 10)}`,
    );
  }
  console.log('');
}

await main();
