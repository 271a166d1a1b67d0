import type { RunTool } from '@agentd/spec';
import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BrowserPool,
  type ConnectionEvent,
  createBrowserTool,
  createFetchUrlTool,
  NetworkPolicy,
  type Screenshot,
} from '../src/index.js';
import { call, trustedFrame, untrustedBody } from './support/run-tool.js';
import { INJECTION, startTestSite, type TestSite } from './support/test-site.js';

let site: TestSite;
let pool: BrowserPool;
let policy: NetworkPolicy;
const connections: ConnectionEvent[] = [];
const resolver = createTestResolver({
  localhost: ['127.0.0.1'],
  'evil.test': ['127.0.0.1'],
  'pinned.test': ['127.0.0.1'],
});
const screenshots: Screenshot[] = [];
let conversation = 0;

/** A browser tool for a fresh conversation (a context of its own). */
function browser(options: { policy?: NetworkPolicy; pool?: BrowserPool } = {}): RunTool {
  conversation++;
  return createBrowserTool({
    pool: options.pool ?? pool,
    policy: options.policy ?? policy,
    sessionId: `conversation-${conversation}`,
    saveScreenshot: (shot) => {
      screenshots.push(shot);
      return `artifact_${screenshots.length}`;
    },
  });
}

beforeAll(async () => {
  site = await startTestSite();
  policy = new NetworkPolicy({ server: { allow: [`localhost:${site.port}`] } });
  pool = new BrowserPool({
    resolver,
    onConnect: (event) => connections.push(event),
    limits: { loadTimeoutMs: 4000, actionTimeoutMs: 7000, pageSize: 2500, maxDocumentBytes: 400_000 },
  });
});

afterAll(async () => {
  const pids = await pool.processIds();
  await pool.close();
  await site.close();
  for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(pids.filter(alive)).toEqual([]);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('browser', () => {
  it('sees content that JavaScript renders, which fetch_url does not', async () => {
    const tool = browser();
    const result = await call(tool, { action: 'open', url: site.url('/js-rendered') });
    expect(result.isError).toBeUndefined();
    const body = untrustedBody(result.output);
    expect(body).toContain('Text that only JavaScript adds: purple elephants dance.');
    expect(body).toContain('Data fetched by script: seventeen green lanterns.');
    const fetchUrl = createFetchUrlTool({ policy, resolver });
    const plain = untrustedBody((await call(fetchUrl, { url: site.url('/js-rendered') })).output);
    await fetchUrl.close();
    expect(plain).toContain('Rendered by script');
    expect(plain).not.toContain('purple elephants');
  });

  it('reads a long page in parts', async () => {
    const tool = browser();
    const first = await call(tool, { action: 'open', url: site.url('/long') });
    const parts = Number(/part 1 of (\d+)/.exec(first.output)?.[1]);
    expect(parts).toBeGreaterThan(3);
    expect(untrustedBody(first.output)).toContain('Marker of section number 1.');
    expect(first.output).toContain('{"action":"scroll"} reads part 2');
    const second = await call(tool, { action: 'scroll' });
    expect(second.output).toContain(`part 2 of ${parts}`);
    expect(untrustedBody(second.output)).not.toContain('Marker of section number 1.');
    const last = await call(tool, { action: 'scroll', part: parts });
    expect(untrustedBody(last.output)).toContain('Marker of section number 30.');
    const beyond = await call(tool, { action: 'scroll' });
    expect(beyond).toEqual({ output: expect.stringContaining('you are at the last part'), isError: true });
    const up = await call(tool, { action: 'scroll', direction: 'up' });
    expect(up.output).toContain(`part ${parts - 1} of ${parts}`);
  });

  it('follows a link by its number, goes back, and finds text in the page', async () => {
    const tool = browser();
    const opened = await call(tool, { action: 'open', url: site.url('/article') });
    const number = /\[(\d+)\] Second page → /.exec(untrustedBody(opened.output))?.[1];
    expect(number).toBeDefined();
    const followed = await call(tool, { action: 'follow', link: Number(number) });
    expect(untrustedBody(followed.output)).toContain('Title: The Second Page');
    expect(untrustedBody(followed.output)).toContain(`URL: ${site.url('/second')}`);
    const back = await call(tool, { action: 'back' });
    expect(untrustedBody(back.output)).toContain(`URL: ${site.url('/article')}`);
    const found = await call(tool, { action: 'find', text: 'NEEDLE phrase' });
    expect(found.output).toContain('browser: 1 match(es) for "NEEDLE phrase".');
    expect(untrustedBody(found.output)).toMatch(/\(part 1\) .*needle phrase hidden/);
    const missing = await call(tool, { action: 'find', text: 'no such words' });
    expect(missing.output).toContain('0 match(es)');
    const badLink = await call(tool, { action: 'follow', link: 99 });
    expect(badLink).toEqual({ output: expect.stringContaining('There is no link [99]'), isError: true });
  });

  it('says when there is no page yet, or no page to go back to', async () => {
    const tool = browser();
    expect(await call(tool, { action: 'scroll' })).toEqual({
      output: expect.stringContaining('open a URL first'),
      isError: true,
    });
    await call(tool, { action: 'open', url: site.url('/second') });
    expect(await call(tool, { action: 'back' })).toEqual({
      output: expect.stringContaining('no previous page'),
      isError: true,
    });
  });

  it('takes a screenshot as PNG bytes and hands it to the artifact store', async () => {
    const tool = browser();
    await call(tool, { action: 'open', url: site.url('/article') });
    const result = await call(tool, { action: 'screenshot' });
    expect(result.output).toMatch(
      /^browser: took a screenshot \(PNG, \d+ bytes\)\. Stored as artifact_\d+\./,
    );
    const shot = screenshots.at(-1)!;
    expect([...shot.png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(shot.png.length).toBeGreaterThan(1000);
    expect(shot.url).toBe(site.url('/article'));
  });

  it('follows a redirect on the allowed host, leaving no extra history entry', async () => {
    const tool = browser();
    await call(tool, { action: 'open', url: site.url('/second') });
    const result = await call(tool, { action: 'open', url: site.url('/redirect-local') });
    expect(untrustedBody(result.output)).toContain(`URL: ${site.url('/article')}`);
    const back = await call(tool, { action: 'back' });
    expect(untrustedBody(back.output)).toContain(`URL: ${site.url('/second')}`);
  });

  it('follows client-side redirects made by script or meta refresh', async () => {
    const tool = browser();
    const scripted = await call(tool, { action: 'open', url: site.url('/js-redirect') });
    expect(untrustedBody(scripted.output)).toContain(`URL: ${site.url('/article')}`);
    const refreshed = await call(tool, { action: 'open', url: site.url('/meta-refresh') });
    expect(untrustedBody(refreshed.output)).toContain(`URL: ${site.url('/second')}`);
  });

  it.each([
    ['/redirect-metadata', '169.254.169.254', 'link-local (cloud metadata)'],
    ['/redirect-private', '10.0.0.1', 'private network'],
  ])('blocks %s, a redirect to %s, without connecting to it', async (path, address, range) => {
    const result = await call(browser(), { action: 'open', url: site.url(path) });
    expect(result).toEqual({
      output: expect.stringMatching(
        new RegExp(
          `^Blocked by the network policy: .*${address.replace(/\./g, '\\.')} is a ${range.replace(/[()]/g, '\\$&')} address`,
        ),
      ),
      isError: true,
    });
    expect(connections.some((event) => event.address === address)).toBe(false);
  });

  it('blocks an image at the metadata address in the route handler', async () => {
    const tool = browser();
    const hits = site.hits.length;
    const result = await call(tool, { action: 'open', url: site.url('/metadata-image') });
    expect(result.isError).toBeUndefined();
    const session = await pool.session(`conversation-${conversation}`, policy);
    const image = session.requests.find((record) => record.url.startsWith('http://169.254.169.254/'));
    expect(image).toMatchObject({
      resourceType: 'image',
      outcome: 'blocked',
      reason: expect.stringContaining('link-local (cloud metadata)'),
    });
    // The allowed image is not loaded to read the page (it cannot change the text) ...
    expect(session.requests.find((record) => record.url.endsWith('/pixel.png'))).toMatchObject({
      outcome: 'deferred',
    });
    expect(site.hits.slice(hits)).toEqual(['/metadata-image']);
    expect(result.output).toContain('1 request(s) of the page were refused or failed');
    expect(untrustedBody(result.output)).toContain(
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/ (image): blocked',
    );
    // ... but for a screenshot, through the same guard: the metadata address stays blocked.
    await call(tool, { action: 'screenshot' });
    const pixel = session.requests.filter((record) => record.url.endsWith('/pixel.png'));
    expect(pixel.at(-1)).toMatchObject({ outcome: 'fulfilled' });
    const metadata = session.requests.filter((record) => record.url.startsWith('http://169.254.169.254/'));
    expect(metadata.map((record) => record.outcome)).toEqual(['blocked', 'blocked']);
    expect(site.hits.slice(hits)).toEqual(['/metadata-image', '/pixel.png']);
    expect(connections.some((event) => event.address === '169.254.169.254')).toBe(false);
  });

  it('blocks a redirect to a file: URL', async () => {
    const result = await call(browser(), { action: 'open', url: site.url('/redirect-file') });
    expect(result).toEqual({ output: expect.stringContaining('only http: and https: URLs'), isError: true });
  });

  it('blocks a host name that resolves to a private address', async () => {
    const hits = site.hits.length;
    const result = await call(browser(), { action: 'open', url: `http://evil.test:${site.port}/article` });
    expect(result).toEqual({
      output: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
      isError: true,
    });
    expect(site.hits.length).toBe(hits);
    const redirected = await call(browser(), { action: 'open', url: site.url('/redirect-evil') });
    expect(redirected).toEqual({
      output: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
      isError: true,
    });
    expect(site.hits.slice(hits)).toEqual(['/redirect-evil']);
  });

  it.each([
    'file:///etc/passwd',
    'data:text/html,<h1>hi</h1>',
    'chrome://settings/',
    'javascript:alert(1)',
    'about:blank',
  ])('refuses to open %s', async (url) => {
    const result = await call(browser(), { action: 'open', url });
    expect(result).toEqual({ output: expect.stringContaining('only http: and https: URLs'), isError: true });
  });

  it('returns a page that tries to inject instructions as untrusted data', async () => {
    const result = await call(browser(), { action: 'open', url: site.url('/injection') });
    expect(untrustedBody(result.output)).toContain(INJECTION);
    expect(trustedFrame(result.output)).not.toContain('IGNORE ALL PREVIOUS');
    expect(result.output).toContain('is untrusted data from a web page opened in the browser');
    expect(result.output.match(/<<<end-untrusted-data/g)).toHaveLength(1);
  });

  it('reads only the beginning of a huge page', async () => {
    const started = Date.now();
    const result = await call(browser(), { action: 'open', url: site.url('/huge') });
    expect(result.output).toContain('The page was larger than the size limit');
    expect(untrustedBody(result.output)).toContain('Title: Huge page');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('gives up on a slow page with a clear time-out, and stays usable', async () => {
    const tool = browser();
    const result = await call(tool, { action: 'open', url: site.url('/slow') });
    // The navigation's own time-out answered (not the call's 7 s cap): the message names it.
    expect(result).toEqual({ output: `${site.url('/slow')} did not load within 4 s.`, isError: true });
    const next = await call(tool, { action: 'open', url: site.url('/second') });
    expect(untrustedBody(next.output)).toContain('Welcome to the second page');
  });

  it('gives up on a page whose script never yields, and replaces the stuck page', async () => {
    const tool = browser();
    const afterLoad = await call(tool, { action: 'open', url: site.url('/busy-after-load') });
    expect(afterLoad).toEqual({
      output: 'The browser did not finish within 7 s; the page was closed.',
      isError: true,
    });
    const next = await call(tool, { action: 'open', url: site.url('/second') });
    expect(untrustedBody(next.output)).toContain('Welcome to the second page');
  });

  it('blocks a download', async () => {
    const result = await call(browser(), { action: 'open', url: site.url('/download') });
    expect(result).toEqual({
      output: `${site.url('/download')} is a file download (application/zip); downloads are blocked.`,
      isError: true,
    });
  });

  it('closes pop-ups', async () => {
    const tool = browser();
    const result = await call(tool, { action: 'open', url: site.url('/popup') });
    expect(result.isError).toBeUndefined();
    const session = await pool.session(`conversation-${conversation}`, policy);
    for (let i = 0; i < 20 && session.openPages > 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(session.openPages).toBe(1);
    expect(untrustedBody(result.output)).toContain('Title: Pop-up page');
  });

  it('closes WebSockets and blocks service workers', async () => {
    const tool = browser();
    const hits = site.hits.length;
    const socket = untrustedBody((await call(tool, { action: 'open', url: site.url('/websocket') })).output);
    expect(socket).toMatch(/WS CLOSED \d+/);
    // Playwright's block turns register() into a no-op, so the worker script is never fetched.
    const worker = untrustedBody(
      (await call(tool, { action: 'open', url: site.url('/service-worker') })).output,
    );
    expect(worker).toContain('Title: Worker page');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(site.hits.slice(hits)).toEqual(['/websocket', '/service-worker']);
  });

  it('connects to the address it resolved itself, never asking Chromium to resolve', async () => {
    // Chromium's own resolver answers nothing; pinned.test exists only in our resolver.
    const pinned = new NetworkPolicy({ server: { allow: ['pinned.test'] } });
    const result = await call(browser({ policy: pinned }), {
      action: 'open',
      url: `http://pinned.test:${site.port}/second`,
    });
    expect(untrustedBody(result.output)).toContain('Welcome to the second page');
    expect(connections).toContainEqual({ host: 'pinned.test', address: '127.0.0.1', port: site.port });
  });

  it('never lets Chromium reach the network by itself', async () => {
    expect((await pool.stats()).directConnectionAttempts).toBe(0);
  });

  it('restarts a crashed browser: the call reports the failure, the next one works', async () => {
    // A pool of its own with a long load limit, so that on a busy machine the
    // page time-out cannot answer before the crash does.
    const crashPool = new BrowserPool({
      resolver,
      limits: { loadTimeoutMs: 60_000, actionTimeoutMs: 60_000 },
    });
    try {
      await crashTest(crashPool);
    } finally {
      await crashPool.close();
    }
  });

  async function crashTest(pool: BrowserPool) {
    const tool = browser({ pool });
    await call(tool, { action: 'open', url: site.url('/article') });
    const launches = (await pool.stats()).launches;
    const pids = await pool.processIds();
    expect(pids.length).toBeGreaterThan(0);
    const main = Math.min(...pids);
    // Kill it in the middle of a call: the slow page keeps the navigation waiting.
    const slowHits = () => site.hits.filter((path) => path === '/slow').length;
    const before = slowHits();
    const pending = call(tool, { action: 'open', url: site.url('/slow') });
    for (let i = 0; i < 1000 && slowHits() === before; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slowHits()).toBe(before + 1);
    process.kill(main, 'SIGKILL');
    const failed = await pending;
    expect(failed).toEqual({
      output: expect.stringContaining('The browser stopped during the call'),
      isError: true,
    });
    const again = await call(tool, { action: 'open', url: site.url('/second') });
    expect(untrustedBody(again.output)).toContain('Welcome to the second page');
    expect((await pool.stats()).launches).toBe(launches + 1);
    const relaunched = await pool.processIds();
    expect(relaunched.length).toBeGreaterThan(0);
    expect(relaunched).not.toContain(main);
  }
});
