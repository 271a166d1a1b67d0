// Where the time of one browser open goes through the server, as a timeline:
// "open <url>" with the scripted model, streamed (POST /v1/responses with
// stream: true), each server-sent event stamped when it reaches the client,
// page after page (a new conversation each), and the same request answered
// whole (no stream) for the total a user of the plain API waits. Medians of
// each milestone from the request and of each gap between milestones.
//
//   node bench/browser-timeline.mjs [--pages N] [--whole] [--before DIR] [--env K=V,K=V]
//
// --before DIR: a built checkout of the code before a change: its server runs
// beside this one's, page by page in turn. --env: settings for this code's
// server only (to compare a setting's two values within one checkout).

import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { benchPages, serve } from './browser-pages.mjs';
import { median, ms, printTimeline, streamedTimeline } from './request-timeline.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';

const arg = (name) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const PAGES = Number(arg('--pages') ?? 20);
const BEFORE = arg('--before');
// --whole: each page also answered whole (no stream), for the plain API's total.
const WHOLE = process.argv.includes('--whole');
const EXTRA = Object.fromEntries(
  (arg('--env') ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split('=')),
);

async function whole(agentd, pageUrl) {
  const started = performance.now();
  const response = await fetch(`${agentd.url}/v1/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentd.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'scripted', input: `open ${pageUrl}`, tools: ['browser'] }),
  });
  const body = await response.json();
  if (body.status !== 'completed') process.stderr.write(`  open ${pageUrl} ended ${body.status}\n`);
  return performance.now() - started;
}

async function main() {
  const all = benchPages({ python: 28, postgres: 14 });
  const pages = all.filter((_, i) => i % Math.max(1, Math.floor(all.length / PAGES)) === 0).slice(0, PAGES);
  const site = await serve(pages);
  const base = `http://127.0.0.1:${site.address().port}`;
  const env = {
    AGENTD_CODE_INTERPRETER: 'off',
    AGENTD_NET_ALLOW: '127.0.0.1',
    AGENTD_NET_DENY: '*.outside.test',
  };
  const arms = {};
  if (BEFORE) arms.before = await spawnAgentd(env, { dataDirPrefix: 'agentd-bench-timeline-', root: BEFORE });
  arms.now = await spawnAgentd({ ...env, ...EXTRA }, { dataDirPrefix: 'agentd-bench-timeline-' });
  const names = Object.keys(arms);
  const rows = Object.fromEntries(names.map((name) => [name, { streamed: [], whole: [] }]));
  const first = {};
  // The first open launches Chromium: timed apart.
  for (const name of names) first[name] = await whole(arms[name], `${base}${pages[0].path}`);
  for (const page of pages) {
    for (const name of names) {
      rows[name].streamed.push(
        await streamedTimeline(arms[name], {
          model: 'scripted',
          input: `open ${base}${page.path}`,
          tools: ['browser'],
        }),
      );
      if (WHOLE) rows[name].whole.push(await whole(arms[name], `${base}${page.path}`));
      const row = rows[name].streamed.at(-1);
      process.stderr.write(
        `  ${name} ${page.path}: tool ${ms(row['tool done'] - row['tool started'])}, stream end ${ms(row.end)}\n`,
      );
    }
  }
  for (const agentd of Object.values(arms)) {
    agentd.child.stdin.end();
    await once(agentd.child, 'exit');
    rmSync(agentd.dataDir, { recursive: true, force: true });
  }
  site.closeAllConnections();
  site.close();

  console.log(
    `browser timeline: ${pages.length} pages, a new conversation each, medians (${names.join(' | ')})`,
  );
  printTimeline(Object.fromEntries(names.map((name) => [name, rows[name].streamed])));
  for (const name of names) {
    const deltas = median(rows[name].streamed.map((row) => row.deltas));
    console.log(
      `  ${name}: ${WHOLE ? `answered whole (no stream) p50 ${ms(median(rows[name].whole))}; ` : ''}first open (Chromium launch) ${ms(first[name])}; text deltas per answer ${deltas}`,
    );
  }
}

await main();
