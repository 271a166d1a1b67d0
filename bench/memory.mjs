// The embedded server's resident memory (issue 12, item 7): after start, and
// after one run of each built-in tool, with what takes it and the settings
// that shrink it. The server runs in its own process with the scripted model
// (it drives the built-in tools from plain requests); the pages, the search
// backend and the file are served from 127.0.0.1 by this process. Then a
// second server with the settings that shrink memory, measured the same way.
//
// "server" is the agentd process's RSS (PGlite runs in a worker thread of it,
// Pyodide interpreters in worker threads too); "children" is every process
// it started (Chromium and its renderers, CPython sandboxes), summed as PSS
// (pages shared between them counted once, split among them).
//
//   node bench/memory.mjs

import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { spawnAgentd } from './spawn-agentd.mjs';
import { mb, rssOf } from './stats.mjs';

/** Every descendant of `pid`, from /proc. */
function descendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  const walk = (parent) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** A process's proportional set size, bytes (0 when it is gone). */
function pssOf(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/Pss:\s+(\d+) kB/.exec(rollup)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

const memoryOf = (pid) => ({
  server: rssOf(pid),
  children: descendants(pid).reduce((sum, child) => sum + pssOf(child), 0),
});

/** Pages to open, a SearXNG-shaped search answer, all on loopback. */
async function startSite() {
  const paragraphs = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i} about agentd memory.</p>`);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/search')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ results: [{ title: 'agentd', url: 'http://127.0.0.1/', content: 'memory' }] }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>Memory</title><article><h1>Memory</h1>${paragraphs.join('')}</article>`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function measure(label, env, site, { toolRuns = true } = {}) {
  const agentd = await spawnAgentd({
    AGENTD_NET_ALLOW: '127.0.0.1',
    AGENTD_SEARXNG_URL: site.url,
    ...env,
  });
  const pid = agentd.child.pid;
  const headers = { authorization: `Bearer ${agentd.key}` };
  const json = { ...headers, 'content-type': 'application/json' };
  const rows = [['after start', memoryOf(pid)]];
  if (!toolRuns) {
    agentd.child.stdin.end();
    await once(agentd.child, 'exit');
    rmSync(agentd.dataDir, { recursive: true, force: true });
    console.log(`\n${label}\n  after start: server ${mb(rows[0][1].server)}`);
    return;
  }
  // The pools boot in the background once the server listens: give them the time they take here.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
  rows.push(['20 s after start (pools warming)', memoryOf(pid)]);

  const run = async (body) => {
    const started = performance.now();
    const response = await fetch(`${agentd.url}/v1/responses`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${answer.status ?? answer.error?.code}, ${seconds} s`;
  };
  const form = new FormData();
  form.append('purpose', 'assistants');
  form.append('file', new Blob(['agentd keeps its memory small. '.repeat(200)]), 'notes.txt');
  const file = await (await fetch(`${agentd.url}/v1/files`, { method: 'POST', headers, body: form })).json();
  const store = await (
    await fetch(`${agentd.url}/v1/vector_stores`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'notes', file_ids: [file.id] }),
    })
  ).json();
  for (;;) {
    const current = await (await fetch(`${agentd.url}/v1/vector_stores/${store.id}`, { headers })).json();
    if (current.status !== 'in_progress') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const tools = [
    ['code_interpreter (Pyodide)', { tools: ['code_interpreter'], input: 'run python: print(1)' }],
    ['code_interpreter (CPython)', { tools: ['code_interpreter'], input: '```cpython\nprint(1)\n```' }],
    ['browser', { tools: ['browser'], input: `open ${site.url}/page` }],
    ['fetch_url', { tools: ['fetch_url'], input: `open ${site.url}/page` }],
    ['web_search', { tools: ['web_search'], input: 'search agentd memory' }],
    [
      'file_search',
      {
        tools: [{ type: 'file_search', vector_store_ids: [store.id] }],
        input: 'search my files for memory',
      },
    ],
  ];
  for (const [name, body] of tools) {
    const outcome = await run(body);
    rows.push([`after one ${name} run (${outcome})`, memoryOf(pid)]);
  }
  agentd.child.stdin.end();
  await once(agentd.child, 'exit');
  rmSync(agentd.dataDir, { recursive: true, force: true });

  console.log(`\n${label}`);
  let previous = 0;
  for (const [what, memory] of rows) {
    const delta = previous ? ` (${memory.server >= previous ? '+' : ''}${mb(memory.server - previous)})` : '';
    console.log(
      `  ${what.padEnd(58)} server ${mb(memory.server).padStart(7)}${delta.padEnd(10)}  children ${mb(memory.children)}`,
    );
    previous = memory.server;
  }
}

async function main() {
  const site = await startSite();
  console.log(
    'agentd embedded server: resident memory (RSS) after start and after one run of each built-in tool',
  );
  await measure('defaults (PGlite buffers 256 MB, interpreter pools prewarmed, browser on)', {}, site);
  await measure(
    'shrunk: AGENTD_PGLITE_BUFFERS_MB=16 AGENTD_CODE_INTERPRETER_PREWARM=off AGENTD_CODE_INTERPRETER_POOL_SIZE=0 AGENTD_BROWSER=off',
    {
      AGENTD_PGLITE_BUFFERS_MB: '16',
      AGENTD_CODE_INTERPRETER_PREWARM: 'off',
      AGENTD_CODE_INTERPRETER_POOL_SIZE: '0',
      AGENTD_BROWSER: 'off',
    },
    site,
  );
  await measure(
    'the rest: AGENTD_PGLITE_BUFFERS_MB=16 AGENTD_CODE_INTERPRETER=off AGENTD_BROWSER=off',
    { AGENTD_PGLITE_BUFFERS_MB: '16', AGENTD_CODE_INTERPRETER: 'off', AGENTD_BROWSER: 'off' },
    site,
    { toolRuns: false },
  );
  site.server.close();
}

await main();
