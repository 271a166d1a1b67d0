// Safety in runs: what agentd's default safety setting does to ordinary text
// and to attacks on each surface, what a run's checks cost, and agentd's own
// overhead around the LLM judge (the judge's model answers at once, so what
// is measured is agentd's: the request, the JSON schema, the parse).
//
//   node bench/safety.mjs            full run (about a minute on one core)
//   node bench/safety.mjs --quick    fewer texts and judge calls
//   node bench/safety.mjs --stream   the stream check and the judge only, and what the hold-back
//                                    adds to the time to first delta over HTTP (--rounds N, default 20)
//
// Needs the packages built (`npx tsc -b`) and the training files in
// ../shared/data/safety (AGENTD_SAFETY_DATA elsewhere).

import { loadavg } from 'node:os';
import { createJudgePhase } from '../packages/safety/dist/index.js';
import { DATA_FILES } from '../packages/safety/dist/training/data-files.js';
import { readRows } from '../packages/safety/dist/training/dataset.js';
import { externalBenignChunks } from '../packages/safety/dist/training/external-benign.js';
import { DEFAULT_SAFETY, resolveSafety } from '../packages/server/dist/safety/resolve-safety.js';
import { runChecksFor } from '../packages/server/dist/safety/run-checks-for.js';
import { startFakeOpenAI } from '../packages/testing/dist/index.js';
import { streamOverHttp } from './safety-stream-http.mjs';

const quick = process.argv.includes('--quick');
const CHUNKS = quick ? 300 : 2000;
const JUDGE_CALLS = quick ? 100 : 1000;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const pct = (n, of) => `${((100 * n) / Math.max(1, of)).toFixed(1)} %`;

/** How the default checks answer each text on one surface: counts of each action, and the time per text. */
async function tally(texts, check) {
  const counts = { allow: 0, flag: 0, redact: 0, block: 0 };
  const blockedBy = {};
  const times = [];
  const signal = new AbortController().signal;
  for (const text of texts) {
    const started = performance.now();
    const result = await check(text, signal);
    times.push(performance.now() - started);
    counts[result.action] += 1;
    for (const verdict of result.action === 'block' ? result.verdicts : [])
      if (verdict.action === 'block')
        for (const category of verdict.categories) {
          const key = `${verdict.phase}:${category}`;
          blockedBy[key] = (blockedBy[key] ?? 0) + 1;
        }
  }
  return { counts, blockedBy, total: texts.length, ...stats(times) };
}

function report(label, { counts, blockedBy, total, p50 = 0, p99 = 0 }) {
  const by = Object.entries(blockedBy)
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
  console.log(
    `${label.padEnd(58)} n=${String(total).padStart(5)}  block ${pct(counts.block, total).padStart(7)}  redact ${pct(counts.redact, total).padStart(7)}  flag ${pct(counts.flag, total).padStart(7)}  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms${by ? `  (blocked by ${by})` : ''}`,
  );
}

async function defaults() {
  const checks = runChecksFor(DEFAULT_SAFETY, { tenantId: 'bench' });
  const rows = readRows(DATA_FILES);
  const benign = rows.filter((row) => row.label === 0).map((row) => row.text);
  const attacks = rows.filter((row) => row.label === 1).map((row) => row.text);
  const chunks = externalBenignChunks(new URL('..', import.meta.url).pathname, 100_000);
  const docs = chunks.filter((chunk) => chunk.kind === 'docs').map((chunk) => chunk.text);
  const code = chunks.filter((chunk) => chunk.kind === 'code').map((chunk) => chunk.text);
  // Spread over the whole corpus, not its first files.
  const sample = (texts) => texts.filter((_, i) => i % Math.max(1, Math.floor(texts.length / CHUNKS)) === 0);
  const tool = (text, signal) => checks.toolOutput('bench', text, signal);
  console.log("agentd's default safety setting (no judge configured)");
  report('user input: benign prompts of the training files', await tally(benign, checks.input));
  report('user input: attack prompts of the training files', await tally(attacks, checks.input));
  report('tool output: Debian docs, 4,000-character chunks', await tally(sample(docs), tool));
  report("tool output: agentd's TypeScript, 4,000-character chunks", await tally(sample(code), tool));
  report('tool output: benign rows of the training files', await tally(benign, tool));
  report('tool output: attack rows of the training files', await tally(attacks, tool));
  // The setting the defaults were chosen against: rules and classifier blocking on tool results.
  const strict = runChecksFor(
    resolveSafety(DEFAULT_SAFETY, {
      tool_output: { actions: { prompt_injection: 'block' }, classifier_action: 'block' },
    }),
    { tenantId: 'bench' },
  );
  const strictTool = (text, signal) => strict.toolOutput('bench', text, signal);
  console.log('tool output blocking on injection markers and the classifier (the alternative)');
  report('tool output: Debian docs, 4,000-character chunks', await tally(sample(docs), strictTool));
  report("tool output: agentd's TypeScript, 4,000-character chunks", await tally(sample(code), strictTool));
  report('tool output: attack rows of the training files', await tally(attacks, strictTool));
}

/**
 * The stream check's cost: a 4,000-character answer arriving in 4-character
 * deltas (as tokens do) through the hold-back window. With deltas arriving
 * at once, the time until the first text is released is agentd's own
 * addition to the time to first delta; a real model adds its time to write
 * the 200 held-back characters.
 */
function streamCost() {
  const answer = readRows(DATA_FILES)
    .filter((row) => row.label === 0)
    .map((row) => row.text)
    .join(' ')
    .slice(0, 4000);
  for (const phases of [['rules'], ['rules', 'classifier']]) {
    const checks = runChecksFor(resolveSafety(DEFAULT_SAFETY, { model_output: { phases } }), {});
    const perDelta = [];
    const firstRelease = [];
    const firstCpu = [];
    // The first rounds warm the JIT up and are not counted.
    for (let round = 0; round < (quick ? 8 : 23); round++) {
      const counted = round >= 3;
      const check = checks.stream();
      const started = performance.now();
      const cpuStart = process.cpuUsage();
      let released = false;
      for (let at = 0; at < answer.length; at += 4) {
        const before = performance.now();
        const step = check.push(answer.slice(at, at + 4));
        const now = performance.now();
        if (counted) perDelta.push(now - before);
        if (!released && step.type === 'release' && step.text) {
          released = true;
          const used = process.cpuUsage(cpuStart);
          if (counted) {
            firstRelease.push(now - started);
            firstCpu.push((used.user + used.system) / 1000);
          }
        }
      }
      check.end();
    }
    const delta = stats(perDelta);
    const first = stats(firstRelease);
    const cpu = stats(firstCpu);
    console.log(
      `stream check (${phases.join(' + ')}, hold-back 200): per 4-character delta p50 ${delta.p50.toFixed(3)} ms, p99 ${delta.p99.toFixed(3)} ms; added before the first delta wall p50 ${first.p50.toFixed(2)} ms, p99 ${first.p99.toFixed(2)} ms, CPU p50 ${cpu.p50.toFixed(2)} ms, p99 ${cpu.p99.toFixed(2)} ms (budget 50 ms)`,
    );
  }
}

async function judgeOverhead() {
  const verdict = JSON.stringify({
    action: 'allow',
    categories: [],
    score: 0.1,
    principle: 0,
    reason: 'Ordinary text.',
  });
  const fake = await startFakeOpenAI();
  fake.setHandler(() => ({ text: verdict }));
  const judge = createJudgePhase({ baseURL: fake.baseURL, apiKey: 'bench', model: 'judge', mode: 'always' });
  const text = 'The quarterly report covers revenue, hiring and the roadmap for next year. '.repeat(50);
  const times = [];
  const cpu = [];
  for (let i = 0; i < JUDGE_CALLS + 20; i++) {
    fake.requests.length = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await judge.check({ text, surface: 'tool_output' }, []);
    const used = process.cpuUsage(cpuBefore);
    const took = performance.now() - started;
    if (result?.fallback) throw new Error(`the judge failed: ${result.reason}`);
    if (i >= 20) {
      times.push(took);
      // The fake model shares this process: its CPU counts too, so this is an upper bound.
      cpu.push((used.user + used.system) / 1000);
    }
  }
  await fake.close();
  const wall = stats(times);
  const cpuTime = stats(cpu);
  console.log(
    `judge phase, model answering at once (${text.length}-character text, ${JUDGE_CALLS} calls): agentd's overhead wall p50 ${wall.p50.toFixed(2)} ms, p99 ${wall.p99.toFixed(2)} ms; CPU p50 ${cpuTime.p50.toFixed(2)} ms, p99 ${cpuTime.p99.toFixed(2)} ms (budget 50 ms)`,
  );
}

const streamOnly = process.argv.includes('--stream');
if (!streamOnly) await defaults();
streamCost();
if (streamOnly) {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : quick ? 10 : 20;
  const answer = readRows(DATA_FILES)
    .filter((row) => row.label === 0 && row.repo === 'lm-sys/arena-hard-auto')
    .map((row) => row.text)
    .join(' ')
    .slice(0, 1200);
  console.log(
    `time to first delta over HTTP, default hold-back (200 characters, rules + classifier) against stream checks off (load average ${loadavg()[0].toFixed(1)}):`,
  );
  await streamOverHttp({ answer, rounds, delays: [0, 20], onLine: (line) => console.log(line) });
}
await judgeOverhead();
