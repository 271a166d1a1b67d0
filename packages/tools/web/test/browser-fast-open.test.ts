import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool, createBrowserTool, NetworkPolicy } from '../src/index.js';
import { call, untrustedBody } from './support/run-tool.js';

// The browser reads pages in Chromium's own DOM (Readability run in the
// page), settles on quiet rather than the load event, and keeps a
// conversation's context across calls.

const pagesDir = new URL('../bench/pages/', import.meta.url);
// The saved pages keep their shared head once, in site-chrome.inc (as bench/run.mjs reads them).
const siteChrome = readFileSync(new URL('site-chrome.inc', pagesDir), 'utf8');
const readPage = (name: string) =>
  readFileSync(new URL(`${name}.html`, pagesDir), 'utf8').replace('<!-- site-chrome -->', () => siteChrome);
const FIXTURES = ['blog-article', 'docs-page', 'news-article', 'wiki-article'];
const ARTICLE = `<h1>Tidal Power</h1>${Array.from(
  { length: 6 },
  (_, i) =>
    `<p>Paragraph ${i} on tidal barrages, lagoon turbines and the moon's pull on estuaries, measured over decades.</p>`,
).join('')}`;
const page = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Tidal Power</title>${head}</head><body><nav><a href="/">Home</a></nav><main><article>${body}</article></main><footer>Footer text</footer></body></html>`;

const ROUTES: Record<string, { headers?: Record<string, string>; body?: string }> = {
  // Trusted Types make every innerHTML assignment by a script throw, Readability's among them.
  '/csp': {
    headers: { 'content-security-policy': "script-src 'none'; require-trusted-types-for 'script'" },
    body: page(ARTICLE),
  },
  // A page script that breaks the DOM methods the extraction relies on.
  '/hostile': {
    body: page(
      ARTICLE,
      '<script>Document.prototype.cloneNode = function () { throw new Error("no cloning here"); };</script>',
    ),
  },
  // An image that never answers: the load event never comes.
  '/hanging-image': { body: page(`${ARTICLE}<img src="/never" alt="tide chart">`) },
  // An icon that never answers: Chromium asks for it late, as type 'other'.
  '/hanging-icon': { body: page(ARTICLE, '<link rel="icon" href="/never">') },
  // A fetch that never answers: its answer could still change the text.
  '/hanging-fetch': {
    body: page(
      `${ARTICLE}<p id="late"></p><script>fetch('/never').then((r) => r.text()).then((t) => { document.getElementById('late').textContent = t; });</script>`,
    ),
  },
  // Styles, a font and an image: none of them changes the text.
  '/styled': {
    body: page(
      `${ARTICLE}<img src="/chart.png" alt="tide chart">`,
      '<link rel="stylesheet" href="/style.css"><style>@font-face { font-family: Tide; src: url(/tide.woff2); } h1 { font-family: Tide; }</style>',
    ),
  },
  '/style.css': {
    headers: { 'content-type': 'text/css' },
    body: 'html, body { background: rgb(200, 30, 40); }',
  },
  '/set-cookie': { body: page(`${ARTICLE}<script>document.cookie = 'visited=tides; path=/';</script>`) },
  '/show-cookie': {
    body: page(
      `${ARTICLE}<p id="c"></p><script>document.getElementById('c').textContent = 'Cookie: ' + document.cookie;</script>`,
    ),
  },
};

let server: Server;
let base: string;
let pool: BrowserPool;
let policy: NetworkPolicy;
let conversation = 0;
/** Paths the test site was asked for, in order. */
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path === '/never') return; // never answers
    const fixture = /^\/fixture\/([\w-]+)$/.exec(path)?.[1];
    const route = ROUTES[path];
    if (fixture) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readPage(fixture));
    } else if (route?.body) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...route.headers });
      res.end(route.body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://localhost:${port}`;
  policy = new NetworkPolicy({ server: { allow: [`localhost:${port}`] } });
  pool = new BrowserPool({
    resolver: createTestResolver({ localhost: ['127.0.0.1'] }),
    limits: { loadTimeoutMs: 20_000, actionTimeoutMs: 40_000 },
  });
});

afterAll(async () => {
  await pool.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Share of the reference's words (with their counts) that the text keeps. */
function recall(reference: string, text: string): number {
  const words = (value: string) => value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const got = new Map<string, number>();
  for (const word of words(text.replace(/\[\d+\]/g, ' '))) got.set(word, (got.get(word) ?? 0) + 1);
  const wanted = words(reference);
  let kept = 0;
  for (const word of wanted) {
    const left = got.get(word) ?? 0;
    if (left > 0) {
      kept++;
      got.set(word, left - 1);
    }
  }
  return kept / wanted.length;
}

describe('browser: reading in the page', () => {
  it('extracts saved real-world pages in the page, keeping as much of their main text as jsdom does', async () => {
    const jsdomPool = new BrowserPool({
      resolver: createTestResolver({ localhost: ['127.0.0.1'] }),
      limits: { loadTimeoutMs: 20_000, actionTimeoutMs: 40_000, extraction: 'jsdom', settle: 'load' },
    });
    try {
      const inPage = await pool.session('fixtures', policy);
      const inJsdom = await jsdomPool.session('fixtures', policy);
      for (const name of FIXTURES) {
        const reference = readFileSync(new URL(`${name}.txt`, pagesDir), 'utf8');
        const fast = await inPage.open(`${base}/fixture/${name}`);
        const old = await inJsdom.open(`${base}/fixture/${name}`);
        expect(fast.timings.extractedIn, name).toBe('page');
        expect(old.timings.extractedIn, name).toBe('jsdom');
        expect(fast.title, name).toBe(old.title);
        const markdown = inPage.page?.markdown ?? '';
        expect(recall(reference, markdown), name).toBeGreaterThanOrEqual(
          recall(reference, inJsdom.page?.markdown ?? '') - 0.01,
        );
        expect(recall(reference, markdown), name).toBeGreaterThan(0.9);
        // Links are numbered in the page's extract as before.
        expect(inPage.page?.links.map((link) => link.url)).toEqual(
          inJsdom.page?.links.map((link) => link.url),
        );
      }
    } finally {
      await jsdomPool.close();
    }
  });

  it('reads a page whose Content-Security-Policy forbids scripts and enforces Trusted Types', async () => {
    const result = await call(browser(), { action: 'open', url: `${base}/csp` });
    expect(result.isError).toBeUndefined();
    const body = untrustedBody(result.output);
    expect(body).toContain('Title: Tidal Power');
    for (let i = 0; i < 6; i++) expect(body).toContain(`Paragraph ${i} on tidal barrages`);
    expect(body).not.toContain('Footer text');
  });

  it('falls back to jsdom when a page script breaks the in-page extraction', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const snapshot = await session.open(`${base}/hostile`);
    expect(snapshot.timings.extractedIn).toBe('jsdom');
    for (let i = 0; i < 6; i++) expect(snapshot.content).toContain(`Paragraph ${i} on tidal barrages`);
    expect(snapshot.content).not.toContain('Footer text');
  });

  it('opens a page whose image never answers without waiting for it (images do not change the text)', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const snapshot = await session.open(`${base}/hanging-image`);
    expect(snapshot.timings.settledBy).toBe('quiet');
    expect(snapshot.status).toBe(200);
    expect(snapshot.content).toContain('Paragraph 5 on tidal barrages');
    // A screenshot waits for the load event, at most the settle bound, and is then taken anyway.
    expect((await session.screenshot()).png.length).toBeGreaterThan(0);
  });

  it('opens a page whose icon never answers without waiting for it (an icon is not text)', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const snapshot = await session.open(`${base}/hanging-icon`);
    expect(snapshot.timings.settledBy).toBe('quiet');
    expect(snapshot.content).toContain('Paragraph 5 on tidal barrages');
  });

  it('reads a page without its styles, fonts and images, and loads them in place for a screenshot', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const from = hits.length;
    const snapshot = await session.open(`${base}/styled`);
    expect(snapshot.content).toContain('Paragraph 5 on tidal barrages');
    // Not loaded, and not reported to the model as refused: they were allowed, only not needed.
    expect(snapshot.refused).toEqual([]);
    expect(hits.slice(from)).toEqual(['/styled']);
    const deferred = session.requests.filter((record) => record.outcome === 'deferred');
    expect(deferred.map((record) => new URL(record.url).pathname).sort()).toEqual([
      '/chart.png',
      '/style.css',
      '/tide.woff2',
    ]);
    const shot = await session.screenshot();
    expect(hits.slice(from)).toEqual(
      expect.arrayContaining(['/styled', '/style.css', '/chart.png', '/tide.woff2']),
    );
    expect(session.requests).toContainEqual(
      expect.objectContaining({ url: `${base}/style.css`, outcome: 'fulfilled' }),
    );
    // The picture shows the page as styled: the stylesheet's background colour.
    expect(firstPixel(shot.png)).toEqual([200, 30, 40]);
  });

  it('opens a page whose fetch never answers, settling at the bound rather than waiting for it', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const snapshot = await session.open(`${base}/hanging-fetch`);
    expect(snapshot.timings.settledBy).toBe('timeout');
    expect(snapshot.timings.settleMs).toBeLessThan(5000);
    expect(snapshot.content).toContain('Paragraph 5 on tidal barrages');
  });

  it('reports a quiet settle for a page that loads everything', async () => {
    const session = await pool.session(`conversation-${++conversation}`, policy);
    const snapshot = await session.open(`${base}/csp`);
    expect(snapshot.timings.settledBy).toBe('quiet');
  });

  it('keeps one context across the calls of a conversation (a fresh tool per call, as the server makes)', async () => {
    const id = `conversation-${++conversation}`;
    const tool = () => createBrowserTool({ pool, policy, sessionId: id });
    const first = await pool.session(id, policy);
    await call(tool(), { action: 'open', url: `${base}/set-cookie` });
    const second = await call(tool(), { action: 'open', url: `${base}/show-cookie` });
    expect(untrustedBody(second.output)).toContain('Cookie: visited=tides');
    expect(await pool.session(id, policy)).toBe(first);
    // Another conversation has a context of its own: no cookie there.
    const other = await call(browser(), { action: 'open', url: `${base}/show-cookie` });
    expect(untrustedBody(other.output)).not.toContain('visited=tides');
    expect((await pool.stats()).launches).toBe(1);
  });
});

function browser() {
  return createBrowserTool({ pool, policy, sessionId: `conversation-${++conversation}` });
}

/** The top-left pixel of a PNG (8-bit RGB or RGBA): the first row's first pixel is stored unfiltered. */
function firstPixel(png: Uint8Array): number[] {
  const bytes = Buffer.from(png);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT')
      idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += length + 12;
  }
  const rows = inflateSync(Buffer.concat(idat));
  return [rows[1]!, rows[2]!, rows[3]!];
}
