// The browser tool's benchmark: at least 50 real pages (Debian's Python and
// PostgreSQL documentation) and heavy pages of our own, served from
// 127.0.0.1, opened with the path before and the path now side by side in one
// run, page by page (see PATHS):
//  - as a user would: POST /v1/responses "open <url>" with the scripted model,
//    against one agentd server process per path (a new conversation each);
//  - through the tool itself, with where each open's time went, the CPU it
//    cost, and the share of each page's main text that the markdown keeps.
//
//   npm run bench                  (after the run-loop benchmark)
//   node bench/browser.mjs         (after npx tsc -b; --pages N for a smoke run on N pages,
//                                   --docs P,Q for P Python and Q PostgreSQL pages; default 28,14,
//                                   with the 8 made pages 50; --only server|tool for one phase,
//                                   so that one run fits in the benchmark lock's few minutes;
//                                   --before DIR: 'before' is a built checkout of the code before a
//                                   change, with its defaults, and 'now' this one's, in turn;
//                                   --block N: N pages per arm in a row, see BLOCK)

import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserPool, NetworkPolicy } from '../packages/tools/web/dist/index.js';
import { benchPages, serve } from './browser-pages.mjs';
import { spawnAgentd } from './spawn-agentd.mjs';

// before: every sub-resource loaded while a page is opened (the path of ADR-0027 as first built);
// now: images, styles and fonts deferred to a screenshot (ADR-0027, amended). --paths adr27 compares
// the first path of issue 18 instead (jsdom, the load event) with now.
const BEFORE = process.argv.includes('--before')
  ? process.argv[process.argv.indexOf('--before') + 1]
  : undefined;
const PATHS = BEFORE
  ? { before: {}, now: {} }
  : process.argv.includes('--paths') && process.argv[process.argv.indexOf('--paths') + 1] === 'adr27'
    ? {
        before: { extraction: 'jsdom', settle: 'load', subresources: 'all' },
        now: { extraction: 'page', settle: 'quiet', subresources: 'text' },
      }
    : {
        before: { extraction: 'page', settle: 'quiet', subresources: 'all' },
        now: { extraction: 'page', settle: 'quiet', subresources: 'text' },
      };

/** CPU time (ms) a process and all its descendants have used so far (Linux /proc); `own`: the root process alone. */
function treeCpuMs(root, own = false) {
  const stats = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ');
      stats.push({
        pid: Number(name),
        ppid: Number(fields[1]),
        // utime and stime, and cutime and cstime: the renderers Chromium has reaped count too.
        cpu: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {}
  }
  const inTree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!inTree.has(s.pid) && inTree.has(s.ppid)) {
        inTree.add(s.pid);
        grew = true;
      }
  }
  // Clock ticks of 10 ms. The root alone: its own time, not its reaped children's.
  if (own) {
    const fields = readFileSync(`/proc/${root}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }
  return stats.filter((s) => inTree.has(s.pid)).reduce((sum, s) => sum + s.cpu * 10, 0);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const stat = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
};
const words = (text) =>
  text
    .replace(/\[\d+\]/g, ' ')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** Share of the reference's words (with their counts) that the markdown keeps. */
function recall(reference, markdown) {
  const got = new Map();
  for (const w of words(markdown)) got.set(w, (got.get(w) ?? 0) + 1);
  const wanted = words(reference);
  let kept = 0;
  for (const w of wanted) {
    const left = got.get(w) ?? 0;
    if (left > 0) {
      kept++;
      got.set(w, left - 1);
    }
  }
  return wanted.length === 0 ? 1 : kept / wanted.length;
}

async function startAgentd(path) {
  const settings = BEFORE
    ? {}
    : {
        AGENTD_BROWSER_EXTRACTION: PATHS[path].extraction,
        AGENTD_BROWSER_SETTLE: PATHS[path].settle,
        AGENTD_BROWSER_SUBRESOURCES: PATHS[path].subresources,
      };
  if (path === 'now' && NOW_EXE) settings.AGENTD_CHROMIUM_PATH = NOW_EXE;
  const { child, url, key, dataDir } = await spawnAgentd(
    {
      AGENTD_CODE_INTERPRETER: 'off',
      AGENTD_NET_ALLOW: '127.0.0.1',
      AGENTD_NET_DENY: '*.outside.test',
      ...settings,
    },
    { dataDirPrefix: 'agentd-bench-browser-', ...(BEFORE && path === 'before' ? { root: BEFORE } : {}) },
  );
  return {
    /** CPU time of the server and its Chromium, in ms, so far; and of the server's process alone. */
    cpu: () => treeCpuMs(child.pid),
    serverCpu: () => treeCpuMs(child.pid, true),
    async open(pageUrl) {
      const started = performance.now();
      const response = await fetch(`${url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'scripted', input: `open ${pageUrl}`, tools: ['browser'] }),
      });
      const body = await response.json();
      const elapsed = performance.now() - started;
      const call = body.output?.find((item) => item.type === 'web_search_call');
      // A failed open (a time-out on a loaded machine, say) is what the user waited for too: counted, and timed.
      if (body.status !== 'completed' || call?.status !== 'completed') {
        failed[path].server++;
        process.stderr.write(`  ${path}: open ${pageUrl} ended ${body.status}/${call?.status}\n`);
      }
      return elapsed;
    },
    async close() {
      child.stdin.end();
      await once(child, 'exit');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// --block N: each arm opens N pages in a row before the other takes its turn, the arm going first
// alternating from block to block. Page by page (N = 1, the default) each open follows the other
// arm's, and so shares the machine with what that one left running (its next spare context, its
// page's own work); in blocks, an arm's opens mostly follow its own, as on a server of its own.
const BLOCK = Math.max(1, Number(process.argv[process.argv.indexOf('--block') + 1]) || 1);

/** The order of the opens: { path, i } of page i, block by block. */
function schedule(count) {
  const order = [];
  for (let from = 0, b = 0; from < count; from += BLOCK, b++) {
    const paths = b % 2 === 0 ? ['before', 'now'] : ['now', 'before'];
    for (const path of paths)
      for (let i = from; i < Math.min(count, from + BLOCK); i++) order.push({ path, i });
  }
  return order;
}

// --now-exe PATH: another Chromium for 'now' only (e.g. Debian's chromium-headless-shell).
const NOW_EXE = process.argv.includes('--now-exe')
  ? process.argv[process.argv.indexOf('--now-exe') + 1]
  : undefined;

/** Opens that did not complete, per path. */
const failed = { before: { server: 0, tool: 0 }, now: { server: 0, tool: 0 } };

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ms = (value) => `${Math.round(value)} ms`;
const pct = (value) => `${(value * 100).toFixed(1)}%`;

async function main() {
  const limit = Number(process.argv[process.argv.indexOf('--pages') + 1]) || undefined;
  // --docs P,Q: P Python and Q PostgreSQL pages (default 28 and 14), with the 8 made here.
  const [python, postgres] = (process.argv[process.argv.indexOf('--docs') + 1] ?? '').split(',').map(Number);
  const all = benchPages({ python: python || 28, postgres: postgres || 14 });
  // --pages N: a smoke run on N pages spread over the set (the figures need the whole set).
  const pages = limit ? all.filter((_, i) => i % Math.ceil(all.length / limit) === 0) : all;
  const site = await serve(pages);
  const base = `http://127.0.0.1:${site.address().port}`;
  console.log(
    `browser: ${pages.length} pages (${pages.filter((p) => p.path.startsWith('/python/')).length} Python docs, ${pages.filter((p) => p.path.startsWith('/postgres/')).length} PostgreSQL docs, ${pages.filter((p) => p.html).length} made here), served from ${base}`,
  );

  // --only server|tool: one of the two phases (on a loaded machine, the two can run side by side).
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const server = { before: [], now: [] };
  if (only !== 'tool') {
    // As a user would: the server, a new conversation per open. Chromium's launch is warmed first.
    const servers = { before: await startAgentd('before'), now: await startAgentd('now') };
    const launch = {};
    for (const path of ['before', 'now']) launch[path] = await servers[path].open(`${base}${pages[0].path}`);
    const cpuFrom = { before: servers.before.cpu(), now: servers.now.cpu() };
    const serverCpuFrom = { before: servers.before.serverCpu(), now: servers.now.serverCpu() };
    for (const { path, i } of schedule(pages.length)) {
      server[path][i] = await servers[path].open(`${base}${pages[i].path}`);
      process.stderr.write(`  server ${path} ${pages[i].path}: ${ms(server[path][i])}\n`);
    }
    const cpuPerOpen = {};
    for (const path of ['before', 'now'])
      cpuPerOpen[path] = {
        all: (servers[path].cpu() - cpuFrom[path]) / pages.length,
        server: (servers[path].serverCpu() - serverCpuFrom[path]) / pages.length,
      };
    await Promise.all(Object.values(servers).map((s) => s.close()));
    printServer(server, launch, cpuPerOpen);
  }
  if (only === 'server') {
    site.closeAllConnections();
    site.close();
    return;
  }

  // Through the tool: where the time goes, and what the markdown keeps.
  const policy = new NetworkPolicy({
    server: { allow: [`127.0.0.1:${site.address().port}`], deny: ['*.outside.test'] },
  });
  const BeforePool = BEFORE
    ? (await import(join(BEFORE, 'packages/tools/web/dist/index.js'))).BrowserPool
    : BrowserPool;
  const pools = {
    // Before (within one checkout): the next conversation's spare context was made during the open that took the last one.
    before: new BeforePool(BEFORE ? {} : { limits: PATHS.before, spareTiming: 'at-once' }),
    now: new BrowserPool({ limits: PATHS.now, ...(NOW_EXE ? { executablePath: NOW_EXE } : {}) }),
  };
  const tool = { before: [], now: [] };
  const shots = [];
  for (const path of ['before', 'now'])
    await (await pools[path].session('warm', policy)).open(`${base}${pages[0].path}`);
  for (const { path, i } of schedule(pages.length)) {
    const page = pages[i];
    // The context a new conversation gets: the spare made after the last open, if it is ready.
    const asked = performance.now();
    const session = await pools[path].session(`conversation-${i}`, policy);
    const started = performance.now();
    const contextMs = started - asked;
    const snapshot = await session.open(`${base}${page.path}`).catch((error) => {
      failed[path].tool++;
      process.stderr.write(`  ${path}: tool open ${page.path} failed: ${error.message}\n`);
      return undefined;
    });
    const total = performance.now() - started;

    if (!snapshot) {
      tool[path][i] = { page: page.path, total, contextMs, failed: true };
      await pools[path].closeSession(`conversation-${i}`);
      continue;
    }
    tool[path][i] = {
      page: page.path,
      total,
      contextMs,
      withContext: contextMs + total,
      ...snapshot.timings,
      recall: recall(page.reference, session.page.markdown),
    };
    if (path === 'now') {
      const shot = performance.now();
      await session.screenshot();
      shots.push(performance.now() - shot);
    }
    await pools[path].closeSession(`conversation-${i}`);
    process.stderr.write(`  tool ${path} ${page.path}: ${ms(tool[path][i].total)}\n`);
  }
  await Promise.all(Object.values(pools).map((pool) => pool.close()));
  site.closeAllConnections();
  site.close();

  console.log(
    '\nWhere an open goes, through the tool (p50 / p95 per step; a new conversation each, back to back):',
  );
  console.log(
    '                 context             navigation          settle              extraction          conversion          open total          with context        recall (mean / p5)   settled by timeout  in jsdom',
  );
  for (const path of ['before', 'now']) {
    const rows = tool[path].filter((row) => !row.failed);
    const cell = (key) => {
      const s = stat(rows.map((row) => row[key]));
      return `${ms(s.p50)} / ${ms(s.p95)}`.padEnd(20);
    };
    const recalls = rows.map((row) => row.recall).sort((a, b) => a - b);
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    const timeouts = rows.filter((row) => row.settledBy === 'timeout').length;
    const jsdom = rows.filter((row) => row.extractedIn === 'jsdom').length;
    console.log(
      `  ${path.padEnd(12)}   ${cell('contextMs')}${cell('navigationMs')}${cell('settleMs')}${cell('extractionMs')}${cell('conversionMs')}${cell('total')}${cell('withContext')}${`${pct(mean)} / ${pct(percentile(recalls, 5))}`.padEnd(21)}${String(timeouts).padEnd(20)}${String(jsdom).padEnd(9)}${failed[path].tool} failed`,
    );
  }
  const shot = stat(shots);
  console.log(
    `  screenshot (now, viewport, after waiting for load at most the settle bound): ${ms(shot.p50)} / ${ms(shot.p95)}`,
  );
  for (const path of server.now.length > 0 ? ['before', 'now'] : []) {
    // The same page through the server and through the tool: the rest is the request, the run, the model and persistence.
    const around = stat(server[path].map((elapsed, i) => elapsed - tool[path][i].total));
    console.log(
      `  the run around the tool (${path}: request, run, scripted model, persistence), per page server minus tool: ${ms(around.p50)} / ${ms(around.p95)}`,
    );
  }
  console.log('\nSlowest pages before → now (open total, recall):');
  const byBefore = tool.before
    .map((row, i) => ({ row, now: tool.now[i] }))
    .filter(({ row, now }) => !row.failed && !now.failed)
    .sort((a, b) => b.row.total - a.row.total);
  for (const { row, now } of byBefore.slice(0, 8)) {
    console.log(
      `  ${row.page.padEnd(44)} ${ms(row.total).padStart(8)} → ${ms(now.total).padStart(7)}   ${pct(row.recall)} → ${pct(now.recall)}`,
    );
  }
  const worst = tool.now
    .filter((row) => !row.failed)
    .sort((a, b) => a.recall - b.recall)
    .slice(0, 5);
  console.log(`Lowest recall now: ${worst.map((row) => `${row.page} ${pct(row.recall)}`).join(', ')}`);
  if (server.now.length === 0) return;
  const now = stat(server.now);
  const ok = now.p50 <= 1000 && now.p95 <= 3000;
  console.log(
    `\nTargets (server, now): p50 <= 1.0 s ${now.p50 <= 1000 ? 'met' : 'MISSED'}, p95 <= 3 s ${now.p95 <= 3000 ? 'met' : 'MISSED'}`,
  );
  if (process.argv.includes('--json')) console.log(JSON.stringify({ server, tool, shots }));
  process.exitCode = ok ? 0 : 1;
}

/** The figures a user sees, printed as soon as they are known (the tool's breakdown comes after). */
function printServer(server, launch, cpuPerOpen) {
  console.log(
    '\nPer open, through POST /v1/responses ("open <url>", scripted model, new conversation each):',
  );
  console.log(
    '                 p50       p95       mean      failed  CPU per open: all (server process + Chromium)  (first open, with Chromium launch)',
  );
  for (const path of ['before', 'now']) {
    const s = stat(server[path]);
    console.log(
      `  ${path.padEnd(12)}   ${fmt(s.p50).padEnd(9)} ${fmt(s.p95).padEnd(9)} ${fmt(s.mean).padEnd(9)} ${String(failed[path].server).padEnd(7)} ${`${ms(cpuPerOpen[path].all)} (${ms(cpuPerOpen[path].server)} + ${ms(cpuPerOpen[path].all - cpuPerOpen[path].server)})`.padEnd(46)} ${fmt(launch[path])}`,
    );
  }
}

await main();
