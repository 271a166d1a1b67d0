#!/usr/bin/env node
// npm run redteam: every case in redteam/cases through a real agentd (the
// fake OpenAI model and the scripted model; real fetch_url, browser, MCP and
// code interpreter), a table per category of what was stopped and where, and
// a check against redteam/baseline.json: a case stopped there and not now
// fails the run (exit 1).
//   --update-baseline   write the stopped cases of this run as the new baseline
//   --category <name>   only that category (no baseline check for the others)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgentdWithFakeModel } from '@agentd/test-server';
import { MAIL_POLICY, runCase } from './lib/run-case.mjs';
import { startMcpServer, startPageServer, startSink, startToolServer } from './lib/targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const only = args.includes('--category') ? args[args.indexOf('--category') + 1] : undefined;
const suite = JSON.parse(readFileSync(join(here, 'suite.json'), 'utf8'));
const cases = readdirSync(join(here, 'cases'))
  .filter((name) => name.endsWith('.jsonl'))
  .sort()
  .flatMap((name) =>
    readFileSync(join(here, 'cases', name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  )
  .filter((entry) => !only || entry.category === only);
const byId = new Map(cases.map((entry) => [entry.id, entry]));
if (byId.size !== cases.length) throw new Error('redteam: two cases share an id');

const started = Date.now();
const sink = await startSink();
const pages = await startPageServer(byId);
const tools = await startToolServer(byId);
const mcp = await startMcpServer(byId);
const targets = { sink, pages, tools, mcp };
const hostOf = (url) => new URL(url).host;
const agentd = await startAgentdWithFakeModel({
  backend: 'pglite',
  env: {
    // The sink is not here: nothing may reach it.
    AGENTD_NET_ALLOW: [pages.url, tools.url, mcp.url].map(hostOf).join(','),
    // REDTEAM_SAFETY_POLICY: another setting, e.g. '{"enabled":false}' to see the gate fail.
    AGENTD_SAFETY_POLICY: process.env.REDTEAM_SAFETY_POLICY ?? JSON.stringify(suite.safety),
    // Interpreters boot while the first categories run.
    AGENTD_CODE_INTERPRETER_PREWARM: 'on',
    AGENTD_CODE_INTERPRETER_POOL_SIZE: '2',
  },
});
const { api, fake } = agentd;
const ready = Date.now();
const setup = [
  await api.post('/v1/tools', {
    name: 'send_email',
    description: 'Sends an email',
    input_schema: {
      type: 'object',
      properties: { to: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' } },
      required: ['to', 'body'],
    },
    adapter: { type: 'http', url: `${tools.url}/send_email` },
  }),
  await api.post('/v1/tools', { name: 'tickets', adapter: { type: 'mcp', transport: 'http', url: mcp.url } }),
  await api.post('/v1/policies', { name: 'mail-stays-inside', policy: MAIL_POLICY }),
];
for (const response of setup)
  if (response.status !== 200)
    throw new Error(`redteam setup: ${response.status} ${JSON.stringify(response.body)}`);

const results = [];
try {
  for (const entry of cases) {
    const caseStarted = Date.now();
    const result = await runCase(entry, { api, fake, targets });
    results.push({ entry, ms: Date.now() - caseStarted, ...result });
    if (process.env.REDTEAM_VERBOSE) console.error(entry.id, result);
  }
} finally {
  await agentd.close();
  await Promise.all([sink.close(), pages.close(), tools.close(), mcp.close()]);
}

// Per category: stopped / total, and where.
const WHERE = ['input', 'tool_output', 'policy', 'sandbox', 'network_policy', 'tool'];
const categories = [...new Set(results.map((r) => r.entry.category))];
const rows = categories.map((category) => {
  const mine = results.filter((r) => r.entry.category === category);
  const where = Object.fromEntries(WHERE.map((w) => [w, mine.filter((r) => r.stopped === w).length]));
  return {
    category,
    stopped: mine.filter((r) => r.stopped).length,
    total: mine.length,
    flagged_only: mine.filter((r) => !r.stopped && r.flagged).length,
    ...where,
    seconds: Number((mine.reduce((sum, r) => sum + r.ms, 0) / 1000).toFixed(1)),
  };
});
const seconds = (ms) => (ms / 1000).toFixed(1);
console.log(
  `\nredteam suite v${suite.version}: ${results.length} cases in ${seconds(Date.now() - started)} s (${seconds(ready - started)} s to start agentd)`,
);
console.table(rows);
const missed = results.filter((r) => !r.stopped);
if (missed.length)
  console.log(`not stopped: ${missed.map((r) => r.entry.id + (r.flagged ? ' (flagged)' : '')).join(', ')}`);

const baselineFile = join(here, 'baseline.json');
const stoppedNow = Object.fromEntries(results.filter((r) => r.stopped).map((r) => [r.entry.id, r.stopped]));
if (args.includes('--update-baseline')) {
  const previous = only ? JSON.parse(readFileSync(baselineFile, 'utf8')).stopped : {};
  for (const id of Object.keys(previous)) if (byId.has(id)) delete previous[id];
  const stopped = Object.fromEntries(Object.entries({ ...previous, ...stoppedNow }).sort());
  writeFileSync(baselineFile, `${JSON.stringify({ suite: suite.version, stopped }, null, 2)}\n`);
  console.log(`redteam: baseline written (${Object.keys(stopped).length} stopped cases)`);
  process.exit(0);
}
const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
const regressions = Object.keys(baseline.stopped).filter((id) => byId.has(id) && !stoppedNow[id]);
const gone = Object.keys(baseline.stopped).filter((id) => !only && !byId.has(id));
const newlyStopped = Object.keys(stoppedNow).filter((id) => !baseline.stopped[id]);
if (newlyStopped.length)
  console.log(`newly stopped (run with --update-baseline to keep them): ${newlyStopped.join(', ')}`);
if (regressions.length || gone.length) {
  for (const id of regressions)
    console.error(
      `redteam: REGRESSION ${id} (${byId.get(id).category}) was stopped at ${baseline.stopped[id]}, now gets through`,
    );
  for (const id of gone) console.error(`redteam: baseline case ${id} is missing from redteam/cases`);
  process.exit(1);
}
console.log(
  `redteam: no regressions against the baseline (${Object.keys(baseline.stopped).length} stopped cases)`,
);
