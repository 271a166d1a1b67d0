// What the stream hold-back adds to the time to first delta, as a client sees it over HTTP:
// two agentd processes, one with the default hold-back (200 characters, rules and classifier)
// and one with the stream checks off, answer the same streamed request in turn from a fake
// model that sends a 1,200-character answer in 4-character deltas (as tokens arrive), at once
// or with a delay between deltas. Used by `node bench/safety.mjs --stream`.
import { startFakeOpenAI } from '../packages/testing/dist/index.js';
import { spawnAgentd } from './spawn-agentd.mjs';

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** Milliseconds from sending a streamed request to its first output_text delta. */
async function timeToFirstDelta(agentd, input) {
  const started = performance.now();
  const response = await fetch(`${agentd.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentd.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'bench-model', input, stream: true }),
  });
  if (!response.ok) throw new Error(`POST /v1/responses: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffered = '';
  let first;
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes, { stream: true });
    if (first === undefined && buffered.includes('response.output_text.delta'))
      first = performance.now() - started;
  }
  if (first === undefined) throw new Error('the stream carried no text delta');
  return first;
}

/**
 * @param answer  the streamed answer (benign text)
 * @param rounds  requests per setting and delay (interleaved)
 * @param delays  milliseconds between the fake model's deltas
 * @param onLine  called with each delay's line of figures
 * @param heldSetting  the held-back process's platform safety setting (the default when absent)
 */
export async function streamOverHttp({ answer, rounds, delays, onLine, heldSetting }) {
  const fake = await startFakeOpenAI();
  const chunks = answer.match(/[\s\S]{1,4}/g);
  let delay = 0;
  fake.setHandler(() => ({ chunks, chunkDelayMs: delay }));
  const env = { OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'bench', AGENTD_DEFAULT_MODEL: 'bench-model' };
  const [held, unchecked] = await Promise.all([
    spawnAgentd(heldSetting ? { ...env, AGENTD_SAFETY_POLICY: JSON.stringify(heldSetting) } : env),
    spawnAgentd({ ...env, AGENTD_SAFETY_POLICY: JSON.stringify({ model_output: { phases: [] } }) }),
  ]);
  try {
    for (const d of delays) {
      delay = d;
      const times = { held: [], unchecked: [] };
      for (let round = 0; round < rounds + 3; round++) {
        // The first rounds warm both processes up and are not counted.
        for (const [name, agentd] of [
          ['held', held],
          ['unchecked', unchecked],
        ]) {
          const took = await timeToFirstDelta(agentd, `Tell me about shipping, round ${round}.`);
          if (round >= 3) times[name].push(took);
        }
      }
      const a = stats(times.held);
      const b = stats(times.unchecked);
      const added = stats(times.held.map((t, i) => t - times.unchecked[i]));
      onLine(
        `  deltas every ${String(d).padStart(2)} ms (${d === 0 ? 'at once' : `${Math.round(1000 / d)} deltas/s`}): first delta held back p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms; unchecked p50 ${b.p50.toFixed(1)} ms, p99 ${b.p99.toFixed(1)} ms; added (paired) p50 ${added.p50.toFixed(1)} ms, p99 ${added.p99.toFixed(1)} ms (${rounds} requests each)`,
      );
    }
  } finally {
    for (const agentd of [held, unchecked]) agentd.child.stdin.end();
    await fake.close();
  }
}
