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
//   node bench/latency.mjs [--quick]

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { readChatStream } from './chat-stream.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';
import { fmt, stats, verdict } from './stats.mjs';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 40 : 400;
const WARMUP = quick ? 10 : 40;
const decoder = new TextDecoder();

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
  const server = await spawnAgentd({
    OPENAI_BASE_URL: model,
    OPENAI_API_KEY: 'bench',
    AGENTD_DEFAULT_MODEL: 'bench-model',
  });
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
  const agentdFirstDelta = (name) => async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: name, input: 'What is 1 + 2?', stream: true }),
    });
    return timeUntil(response, started, responsesHasText);
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
  const timed = (fn) => async () => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };

  const arms = {
    'run, agentd': timed(agentdRun),
    'run, direct': timed(directRun),
    'first delta, fast model, agentd': agentdFirstDelta('bench-model'),
    'first delta, fast model, direct': directFirstDelta('bench-model'),
    'first delta, 2 ms/token model, agentd': agentdFirstDelta('bench-slow'),
    'first delta, 2 ms/token model, direct': directFirstDelta('bench-slow'),
  };
  for (let i = 0; i < WARMUP; i++) for (const arm of Object.values(arms)) await arm();
  const samples = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, arm] of Object.entries(arms)) samples[name].push(await arm());
  }
  const s = Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, stats(list)]));

  console.log(
    `\nagentd latency on the request path (embedded: PGlite; one run at a time)${quick ? ' [quick]' : ''}`,
  );
  console.log(`${RUNS} runs per arm after ${WARMUP} warm-up, arms alternating\n`);
  for (const [name, r] of Object.entries(s)) {
    console.log(`  ${name.padEnd(40)} p50 ${fmt(r.p50)}  p95 ${fmt(r.p95)}  p99 ${fmt(r.p99)}`);
  }
  const overhead = s['run, agentd'].p50 - s['run, direct'].p50;
  const fast = s['first delta, fast model, agentd'].p50 - s['first delta, fast model, direct'].p50;
  const slow =
    s['first delta, 2 ms/token model, agentd'].p50 - s['first delta, 2 ms/token model, direct'].p50;
  console.log(`\n  fixed overhead per run, p50: ${fmt(overhead)} (target ≤ 5 ms: ${verdict(overhead <= 5)})`);
  console.log(
    `  first text delta after the direct loop's, fast model, p50: ${fmt(fast)} (target ≤ 3 ms: ${verdict(fast <= 3)})`,
  );
  console.log(
    `  first text delta after the direct loop's, 2 ms/token model, p50: ${fmt(slow)} (target ≤ 3 ms: ${verdict(slow <= 3)})\n`,
  );

  server.child.stdin.end();
  await once(server.child, 'exit');
  upstream.stdin.end();
  await once(upstream, 'exit');
  rmSync(server.dataDir, { recursive: true, force: true });
}

await main();
