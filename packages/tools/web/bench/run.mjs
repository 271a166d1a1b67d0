// The web tools' benchmark, on saved real-world-like pages served from loopback:
// page → markdown latency (p50/p95) for fetch_url and the browser, pages per
// second with 4 concurrent conversations, Chromium's memory, and extraction
// quality against a hand-written reference of each page's main text.
//
//   npm run build && node packages/tools/web/bench/run.mjs            full run
//   node packages/tools/web/bench/run.mjs --quick                     fewer rounds
//   node packages/tools/web/bench/run.mjs --json                      also print the figures as JSON
//
// Third-party resources the pages reference (analytics, fonts) fail fast: the
// benchmark's resolver knows no name, as on a machine without internet.

import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  BrowserPool,
  createBrowserTool,
  createFetchUrlTool,
  htmlToMarkdown,
  memoryOf,
  NetworkPolicy,
} from '../dist/index.js';

const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const ROUNDS = quick ? 2 : 8;
const CONVERSATIONS = 4;

const pagesDir = new URL('./pages/', import.meta.url);
// The pages share one site's head (styles, analytics), kept once in site-chrome.inc.
const siteChrome = readFileSync(new URL('site-chrome.inc', pagesDir), 'utf8');
const readPage = (file) =>
  Buffer.from(
    readFileSync(new URL(file, pagesDir), 'utf8').replace('<!-- site-chrome -->', () => siteChrome),
  );
const pages = readdirSync(pagesDir)
  .filter((file) => file.endsWith('.html'))
  .sort()
  .map((file) => {
    const name = file.slice(0, -'.html'.length);
    return {
      name,
      html: readPage(file),
      reference: readFileSync(new URL(`${name}.txt`, pagesDir), 'utf8'),
    };
  });

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length };
};
const ms = (value) => `${value.toFixed(1)} ms`;
const pct = (value) => `${(value * 100).toFixed(1)}%`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Words, lower-cased; link numbers like [12] are the tool's, not the page's. */
function words(text) {
  return (
    text
      .replace(/\[\d+\]/g, ' ')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function bag(list) {
  const counts = new Map();
  for (const word of list) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** recall: share of the reference's words the output keeps; leak: share of the output's words not in the reference. */
function quality(reference, output) {
  const ref = bag(words(reference));
  const out = words(output);
  const got = bag(out);
  let common = 0;
  let total = 0;
  for (const [word, count] of ref) {
    total += count;
    common += Math.min(count, got.get(word) ?? 0);
  }
  return { recall: total === 0 ? 0 : common / total, leak: out.length === 0 ? 0 : 1 - common / out.length };
}

async function main() {
  const server = createServer((req, res) => {
    const name = (req.url ?? '/')
      .split('?')[0]
      .replace(/^\//, '')
      .replace(/\.html$/, '');
    const page = pages.find((candidate) => candidate.name === name);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page.html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const url = (name, tag) => `http://127.0.0.1:${port}/${name}.html?r=${tag}`;
  const policy = new NetworkPolicy({ server: { allow: [`127.0.0.1:${port}`] } });
  const offline = async (hostname) => {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  };
  const signal = new AbortController().signal;
  const call = async (tool, args) => {
    const result = await tool.execute(args, { signal, callId: 'bench' });
    if (result.isError) throw new Error(result.output);
    return result;
  };

  // 1. Extraction alone: the CPU cost of HTML → markdown on the saved pages.
  const extraction = [];
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const page of pages) {
      const started = performance.now();
      htmlToMarkdown(page.html.toString('utf8'), url(page.name, 'x'));
      if (round > 0) extraction.push(performance.now() - started);
    }
  }

  // 2. fetch_url: page → markdown, one at a time, then 4 at a time.
  const fetchTool = createFetchUrlTool({ policy, resolver: offline });
  let tag = 0;
  for (const page of pages) await call(fetchTool, { url: url(page.name, `warm${tag++}`) });
  const fetchLatency = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of pages) {
      const started = performance.now();
      await call(fetchTool, { url: url(page.name, `s${tag++}`) });
      fetchLatency.push(performance.now() - started);
    }
  }
  const fetchConcurrent = await concurrently(async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of pages) await call(fetchTool, { url: url(page.name, `c${tag++}`) });
    }
  });
  await fetchTool.close();

  // 3. The browser: launch, page → markdown in one conversation, then 4 conversations at once.
  const pool = new BrowserPool({ resolver: offline, maxSessions: CONVERSATIONS + 1 });
  const launchStarted = performance.now();
  const first = createBrowserTool({ pool, policy, sessionId: 'bench-0' });
  await call(first, { action: 'open', url: url(pages[0].name, 'launch') });
  const firstCall = performance.now() - launchStarted;
  const idleMemory = memoryOf(await pool.processIds());
  for (const page of pages) await call(first, { action: 'open', url: url(page.name, `warm${tag++}`) });
  const browserLatency = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of pages) {
      const started = performance.now();
      await call(first, { action: 'open', url: url(page.name, `s${tag++}`) });
      browserLatency.push(performance.now() - started);
    }
  }
  await pool.closeSession('bench-0');
  let peakPss = 0;
  const sampler = setInterval(async () => {
    peakPss = Math.max(peakPss, memoryOf(await pool.processIds()).pss);
  }, 250);
  const browserConcurrent = await concurrently(async (index) => {
    const tool = createBrowserTool({ pool, policy, sessionId: `bench-${index + 1}` });
    for (let round = 0; round < ROUNDS; round++) {
      for (const page of pages) await call(tool, { action: 'open', url: url(page.name, `c${tag++}`) });
    }
  });
  clearInterval(sampler);
  const pids = await pool.processIds();
  const busyMemory = memoryOf(pids);
  const stats = await pool.stats();

  // 4. Quality: the whole markdown each path produces, against the reference text.
  const qualityRows = [];
  const session = await pool.session('bench-quality', policy);
  for (const page of pages) {
    const fetched = htmlToMarkdown(page.html.toString('utf8'), url(page.name, 'q'));
    await session.open(url(page.name, `q${tag++}`));
    const rendered = session.page;
    qualityRows.push({
      page: page.name,
      fetch: quality(page.reference, `${fetched.title}\n${fetched.markdown}`),
      browser: quality(page.reference, `${rendered.title}\n${rendered.markdown}`),
    });
  }
  await pool.close();
  server.close();

  // Chromium's helper processes take a moment to exit after the browser closes.
  const alive = () =>
    pids.filter((pid) => {
      try {
        return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });
  for (let i = 0; i < 50 && alive().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  const leftover = alive();

  const results = {
    pages: pages.length,
    rounds: ROUNDS,
    extraction: summary(extraction),
    fetchUrl: {
      latency: summary(fetchLatency),
      pagesPerSecond4: fetchConcurrent.count(ROUNDS * pages.length),
    },
    browser: {
      firstCallMs: firstCall,
      latency: summary(browserLatency),
      pagesPerSecond4: browserConcurrent.count(ROUNDS * pages.length),
      memoryOneContext: idleMemory,
      pssPeak4: peakPss,
      memoryAfter4: busyMemory,
      processes: pids.length,
      directConnectionAttempts: stats.directConnectionAttempts,
    },
    quality: qualityRows,
  };

  console.log(
    `Web tools benchmark: ${pages.length} saved pages (~${Math.round(pages[0].html.length / 1024)} KB each), ${ROUNDS} rounds${quick ? ' (quick)' : ''}`,
  );
  console.log('');
  console.log('page → markdown                     p50          p95');
  console.log(
    `  extraction only (jsdom+Readability) ${ms(results.extraction.p50).padEnd(12)} ${ms(results.extraction.p95)}`,
  );
  console.log(
    `  fetch_url (HTTP + extraction)      ${ms(results.fetchUrl.latency.p50).padEnd(12)} ${ms(results.fetchUrl.latency.p95)}`,
  );
  console.log(
    `  browser open (Chromium + extraction) ${ms(results.browser.latency.p50).padEnd(12)} ${ms(results.browser.latency.p95)}`,
  );
  console.log('');
  console.log(`pages per second, ${CONVERSATIONS} concurrent conversations`);
  console.log(`  fetch_url  ${results.fetchUrl.pagesPerSecond4.toFixed(1)}`);
  console.log(`  browser    ${results.browser.pagesPerSecond4.toFixed(1)}`);
  console.log('');
  console.log(`browser: first call (launch + open) ${ms(firstCall)}`);
  console.log(
    `  Chromium memory (PSS): ${mb(idleMemory.pss)} with 1 context; peak ${mb(peakPss)} with ${CONVERSATIONS} busy contexts; ${mb(busyMemory.pss)} after them (${pids.length} processes)`,
  );
  console.log(
    `  (sum of per-process RSS, which counts shared pages again in each process: ${mb(idleMemory.rss)} and ${mb(busyMemory.rss)})`,
  );
  console.log(
    `  direct connection attempts by Chromium: ${stats.directConnectionAttempts}; processes left after close: ${leftover.length}`,
  );
  console.log('');
  console.log('extraction quality        fetch_url kept / leaked     browser kept / leaked');
  for (const row of qualityRows) {
    console.log(
      `  ${row.page.padEnd(22)}  ${pct(row.fetch.recall).padStart(6)} / ${pct(row.fetch.leak).padStart(6)}          ${pct(row.browser.recall).padStart(6)} / ${pct(row.browser.leak).padStart(6)}`,
    );
  }
  const mean = (key, field) =>
    qualityRows.reduce((sum, row) => sum + row[key][field], 0) / qualityRows.length;
  console.log(
    `  ${'mean'.padEnd(22)}  ${pct(mean('fetch', 'recall')).padStart(6)} / ${pct(mean('fetch', 'leak')).padStart(6)}          ${pct(mean('browser', 'recall')).padStart(6)} / ${pct(mean('browser', 'leak')).padStart(6)}`,
  );
  console.log(
    '  kept: share of the reference main text (words) in the markdown; leaked: share of the markdown that is not main text',
  );
  if (asJson) console.log(JSON.stringify(results));
}

/** Runs `work` in CONVERSATIONS parallel loops; count(n) gives pages per second for n pages per loop. */
async function concurrently(work) {
  const started = performance.now();
  await Promise.all(Array.from({ length: CONVERSATIONS }, (_, index) => work(index)));
  const seconds = (performance.now() - started) / 1000;
  return { count: (perLoop) => (perLoop * CONVERSATIONS) / seconds };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
