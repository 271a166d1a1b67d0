// Latency on the path every request takes (issue 12, item 7): agentd against
// the direct loop, one run at a time, agentd in its own process (embedded
// mode, PGlite), the fake model in another. Side by side in one run:
//   - fixed overhead per run: a non-streamed run through agentd (auth,
//     create, queue, claim, persist, answer) less the direct loop's run;
//   - time to the first text delta on the client, agentd's SSE stream
//     against the direct loop's own stream, with a zero-latency model and
//     with one that streams a token every 2 ms.
// The arms alternate run by run, so the machine's noise weighs on all alike.
//
//   node bench/latency.mjs [--quick] [--runs N] [--hold-back N] [--before DIR] [--variant NAME=JSON]...
//
// --hold-back N: the safety hold-back of streamed answers (model_output.hold_back,
// 200 characters by default) set to N, through AGENTD_SAFETY_POLICY: with the
// default, the 2 ms/token model's short answer is held until its end, so the
// first delta measures the hold-back, not the request path; 0 measures the path.
// --before DIR: a built checkout of the code before a change, run as a second
// agentd beside this one, its arms alternating with this one's in the same run.
// --variant NAME=JSON: one more agentd of this checkout with these settings on
// top, e.g. --variant 'main thread={"AGENTD_PGLITE_THREAD":"main"}'.
// Each agentd's CPU time per request is printed too: it depends far less on
// the machine's load than the latencies do.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { readChatStream } from './chat-stream.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';
import { cpuMsOf, fmt, stats, verdict } from './stats.mjs';

const quick = process.argv.includes('--quick');
const option = (name) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? (quick ? 40 : 400));
const WARMUP = Math.min(quick ? 10 : 40, RUNS);
const HOLD_BACK = option('--hold-back');
const BEFORE = option('--before');
/** --variant NAME=JSON (repeatable): one more agentd of this checkout, with these settings on top. */
const VARIANTS = process.argv.flatMap((arg, index) => {
  if (arg !== '--variant') return [];
  const given = process.argv[index + 1] ?? '';
  const at = given.indexOf('=');
  return [[given.slice(0, at), JSON.parse(given.slice(at + 1))]];
});
const decoder = new TextDecoder();
/** The pause over which each agentd's idle CPU is measured. */
const IDLE_MS = 5_000;

/** Reads a response body until `found(text so far)` holds; resolves with the time then, and drains the rest. */
async function timeUntil(response, started, found) {
  const reader = response.body.getReader();
  let text = '';
  let at;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (at === undefined && found(text)) at = performance.now() - started;
  }
  if (at === undefined) throw new Error(`no text delta in: ${text.slice(0, 400)}`);
  return at;
}

/** A Chat Completions stream's first chunk with non-empty `delta.content`. */
const chatHasText = (text) => /"delta":\{[^}]*"content":"[^"]/.test(text);
/** An agentd (Responses) stream's first text delta. */
const responsesHasText = (text) => text.includes('event: response.output_text.delta');

async function main() {
  const upstream = spawn(process.execPath, [new URL('./upstreams.mjs', import.meta.url).pathname, '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = await once(upstream.stdout, 'data');
  const model = JSON.parse(String(line)).model;
  const env = {
    OPENAI_BASE_URL: model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
    // The interpreter pools boot in the background after start (seconds of CPU): no run here uses them.
    AGENTD_CODE_INTERPRETER_PREWARM: 'off',
    ...(HOLD_BACK === undefined
      ? {}
      : { AGENTD_SAFETY_POLICY: JSON.stringify({ model_output: { hold_back: Number(HOLD_BACK) } }) }),
  };
  const servers = { '': await spawnAgentd(env) };
  if (BEFORE) servers[' (before)'] = await spawnAgentd(env, { root: BEFORE });
  for (const [name, settings] of VARIANTS) servers[` (${name})`] = await spawnAgentd({ ...env, ...settings });
  const arms = {};
  for (const [label, server] of Object.entries(servers)) Object.assign(arms, agentdArms(server, label));
  Object.assign(arms, directArms(model));
  for (let i = 0; i < WARMUP; i++) for (const arm of Object.values(arms)) await arm();
  const samples = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
  // CPU time depends far less on the machine's load than latency does: each agentd's, per request,
  // less what it spends idle (timers, the lease sweeper), measured over a pause before the runs.
  const cpuNow = () =>
    Object.fromEntries(Object.entries(servers).map(([label, s]) => [label, cpuMsOf(s.child.pid)]));
  const idleFrom = cpuNow();
  const idleStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idleMs = performance.now() - idleStarted;
  const cpuBefore = cpuNow();
  const loadBefore = loadavg()[0];
  const started = performance.now();
  for (let i = 0; i < RUNS; i++) {
    for (const [name, arm] of Object.entries(arms)) samples[name].push(await arm());
  }
  const elapsed = performance.now() - started;
  const loadAfter = loadavg()[0];
  const cpuAfter = cpuNow();
  const cpuPerRequest = Object.fromEntries(
    Object.keys(servers).map((label) => {
      const idle = ((cpuBefore[label] - idleFrom[label]) / idleMs) * elapsed;
      return [label, (cpuAfter[label] - cpuBefore[label] - idle) / (3 * RUNS)];
    }),
  );
  const s = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, stats(list)]));

  console.log(
    `\nagentd latency on the request path (embedded: PGlite; one run at a time)${quick ? ' [quick]' : ''}`,
  );
  console.log(
    `${RUNS} runs per arm after ${WARMUP} warm-up, arms alternating; safety hold-back ${HOLD_BACK ?? 'default (200)'}; load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end\n`,
  );
  for (const [name, r] of Object.entries(s)) {
    console.log(`  ${name.padEnd(48)} p50 ${fmt(r.p50)}  p95 ${fmt(r.p95)}  p99 ${fmt(r.p99)}`);
  }
  for (const label of Object.keys(servers)) {
    const overhead = s[`run, agentd${label}`].p50 - s['run, direct'].p50;
    const fast = s[`first delta, fast model, agentd${label}`].p50 - s['first delta, fast model, direct'].p50;
    const slow =
      s[`first delta, 2 ms/token model, agentd${label}`].p50 - s['first delta, 2 ms/token model, direct'].p50;
    console.log(`\n  agentd${label || ' (this checkout)'}:`);
    console.log(
      `  CPU per request (its process, all threads, the three arms alike, less its idle CPU): ${fmt(cpuPerRequest[label])}`,
    );
    console.log(`  fixed overhead per run, p50: ${fmt(overhead)} (target ≤ 5 ms: ${verdict(overhead <= 5)})`);
    console.log(
      `  first text delta after the direct loop's, fast model, p50: ${fmt(fast)} (target ≤ 3 ms: ${verdict(fast <= 3)})`,
    );
    console.log(
      `  first text delta after the direct loop's, 2 ms/token model, p50: ${fmt(slow)} (target ≤ 3 ms: ${verdict(slow <= 3)})`,
    );
  }
  console.log('');

  for (const server of Object.values(servers)) {
    server.child.stdin.end();
    await once(server.child, 'exit');
    rmSync(server.dataDir, { recursive: true, force: true });
  }
  upstream.stdin.end();
  await once(upstream, 'exit');
}

/** agentd's arms against `server`: a non-streamed run, and the first delta of a streamed one for each model. */
function agentdArms(server, label) {
  const headers = { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' };
  const agentdRun = async () => {
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'bench-model', input: 'What is 1 + 2?' }),
    });
    const body = await response.json();
    if (body.status !== 'completed') throw new Error(`run ended ${body.status}`);
  };
  const agentdFirstDelta = (name) => async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: name, input: 'What is 1 + 2?', stream: true }),
    });
    return timeUntil(response, started, responsesHasText);
  };
  return {
    [`run, agentd${label}`]: timed(agentdRun),
    [`first delta, fast model, agentd${label}`]: agentdFirstDelta('bench-model'),
    [`first delta, 2 ms/token model, agentd${label}`]: agentdFirstDelta('bench-slow'),
  };
}

/** The direct loop's arms: the same runs against the fake model itself. */
function directArms(model) {
  const directRun = async () => {
    const response = await fetch(`${model}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'bench-model',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'What is 1 + 2?' }],
      }),
    });
    readChatStream(await response.text());
  };
  const directFirstDelta = (name) => async () => {
    const started = performance.now();
    const response = await fetch(`${model}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer bench', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: name,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'What is 1 + 2?' }],
      }),
    });
    return timeUntil(response, started, chatHasText);
  };
  return {
    'run, direct': timed(directRun),
    'first delta, fast model, direct': directFirstDelta('bench-model'),
    'first delta, 2 ms/token model, direct': directFirstDelta('bench-slow'),
  };
}

const timed = (fn) => async () => {
  const started = performance.now();
  await fn();
  return performance.now() - started;
};

await main();
