import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectionEvent,
  createFetchUrlTool,
  type FetchUrlTool,
  NetworkPolicy,
  UNTRUSTED_CONTENT_INSTRUCTION,
} from '../src/index.js';
import { call, trustedFrame, untrustedBody } from './support/run-tool.js';
import { INJECTION, startTestSite, type TestSite } from './support/test-site.js';

let site: TestSite;
let tool: FetchUrlTool;
let strictTool: FetchUrlTool;
const connections: ConnectionEvent[] = [];
const resolver = createTestResolver({
  localhost: ['127.0.0.1'],
  'evil.test': ['127.0.0.1'],
  'pinned.test': ['127.0.0.1'],
});

beforeAll(async () => {
  site = await startTestSite();
  // Only the test site's host name and port are allowed (not its address), plus the name pinned.test.
  const policy = new NetworkPolicy({ server: { allow: [`localhost:${site.port}`, 'pinned.test'] } });
  tool = createFetchUrlTool({
    policy,
    resolver,
    pageSize: 2000,
    maxBytes: 300_000,
    timeoutMs: 1500,
    onConnect: (event) => connections.push(event),
  });
  strictTool = createFetchUrlTool({
    policy: new NetworkPolicy(),
    resolver,
    onConnect: (event) => connections.push(event),
  });
});

afterAll(async () => {
  await tool.close();
  await strictTool.close();
  await site.close();
});

describe('fetch_url', () => {
  it('reads a page as markdown with its title, final URL and numbered links', async () => {
    const result = await call(tool, { url: site.url('/article') });
    expect(result.isError).toBeUndefined();
    const body = untrustedBody(result.output);
    expect(body).toContain('Title: The Article');
    expect(body).toContain(`URL: ${site.url('/article')}`);
    expect(body).toContain('needle phrase');
    expect(body).toMatch(/Second page \[1\]/);
    expect(body).toContain(`[1] Second page → ${site.url('/second')}`);
    expect(body).toContain('[2] other site → https://example.org/elsewhere');
    expect(body).not.toContain('Copyright footer boilerplate');
    expect(result.output).toMatch(/^fetch_url: HTTP 200, text\/html; charset=utf-8, part 1 of 1\./);
  });

  it('does not run JavaScript', async () => {
    const body = untrustedBody((await call(tool, { url: site.url('/js-rendered') })).output);
    expect(body).toContain('Rendered by script');
    expect(body).not.toContain('purple elephants');
    expect(body).not.toContain('seventeen green lanterns');
    expect(site.hits).not.toContain('/api/data');
  });

  it('reads a long page in parts, from one fetch', async () => {
    const before = site.hits.filter((path) => path === '/long').length;
    const first = await call(tool, { url: site.url('/long') });
    const parts = Number(/part 1 of (\d+)/.exec(first.output)?.[1]);
    expect(parts).toBeGreaterThan(3);
    expect(untrustedBody(first.output)).toContain('Marker of section number 1.');
    expect(untrustedBody(first.output)).not.toContain('Marker of section number 30.');
    expect(first.output).toContain(`"page": 2`);
    const last = await call(tool, { url: site.url('/long'), page: parts });
    expect(untrustedBody(last.output)).toContain('Marker of section number 30.');
    expect(last.output).toContain('This is the last part.');
    const beyond = await call(tool, { url: site.url('/long'), page: parts + 1 });
    expect(beyond).toEqual({
      output: expect.stringContaining(`there is no part ${parts + 1}`),
      isError: true,
    });
    expect(site.hits.filter((path) => path === '/long').length).toBe(before + 1);
  });

  it('follows a redirect on the allowed host', async () => {
    const result = await call(tool, { url: site.url('/redirect-local') });
    expect(result.output).toContain('Redirected 1 time(s).');
    expect(untrustedBody(result.output)).toContain(`URL: ${site.url('/article')}`);
  });

  it.each([
    ['/redirect-metadata', '169.254.169.254', 'link-local (cloud metadata)'],
    ['/redirect-private', '10.0.0.1', 'private network'],
  ])('blocks %s, a redirect to %s, without connecting to it', async (path, address, range) => {
    const result = await call(tool, { url: site.url(path) });
    expect(result).toEqual({
      output: expect.stringContaining(`${address} is a ${range} address`),
      isError: true,
    });
    expect(result.output).toMatch(/^Blocked by the network policy/);
    expect(connections.some((event) => event.address === address || event.host === address)).toBe(false);
  });

  it('blocks a redirect to a host name that resolves to a private address', async () => {
    const result = await call(tool, { url: site.url('/redirect-evil') });
    expect(result).toEqual({
      output: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
      isError: true,
    });
    expect(connections.some((event) => event.host === 'evil.test')).toBe(false);
  });

  it('blocks a host name that resolves to a private address, with no request sent', async () => {
    const hits = site.hits.length;
    const result = await call(strictTool, { url: `http://evil.test:${site.port}/article` });
    expect(result).toEqual({
      output: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
      isError: true,
    });
    expect(resolver.asked).toContain('evil.test');
    expect(site.hits.length).toBe(hits);
  });

  it('connects to the address it checked, not one the system resolver picks', async () => {
    // The system resolver does not know pinned.test: the page loads only through our resolution.
    const result = await call(tool, { url: `http://pinned.test:${site.port}/second` });
    expect(untrustedBody(result.output)).toContain('Welcome to the second page');
    expect(connections).toContainEqual({ host: 'pinned.test', address: '127.0.0.1', port: site.port });
  });

  it('refuses the test site itself under a policy without the allowlist', async () => {
    const result = await call(strictTool, { url: site.url('/article') });
    expect(result).toEqual({
      output: expect.stringContaining('localhost (127.0.0.1) is a loopback address'),
      isError: true,
    });
    const direct = await call(tool, { url: site.ipUrl('/article') });
    expect(direct).toEqual({
      output: expect.stringContaining('127.0.0.1 is a loopback address'),
      isError: true,
    });
  });

  it('blocks a redirect to a file: URL', async () => {
    const result = await call(tool, { url: site.url('/redirect-file') });
    expect(result).toEqual({ output: expect.stringContaining('only http: and https: URLs'), isError: true });
  });

  it('stops after 5 redirects', async () => {
    const result = await call(tool, { url: site.url('/redirect-loop') });
    expect(result).toEqual({
      output: expect.stringContaining('redirected more than 5 times'),
      isError: true,
    });
  });

  it.each(['file:///etc/passwd', 'data:text/html,<p>hi</p>', 'chrome://settings/', 'javascript:alert(1)'])(
    'refuses %s',
    async (url) => {
      const result = await call(tool, { url });
      expect(result).toEqual({
        output: expect.stringContaining('only http: and https: URLs'),
        isError: true,
      });
    },
  );

  it('returns a page that tries to inject instructions as untrusted data', async () => {
    const result = await call(tool, { url: site.url('/injection') });
    const body = untrustedBody(result.output);
    expect(body).toContain(INJECTION);
    expect(trustedFrame(result.output)).not.toContain('IGNORE ALL PREVIOUS INSTRUCTIONS');
    expect(result.output).toContain('untrusted data from a web page fetched by fetch_url');
    // The page's fake end marker is defused: only our own closes the block.
    expect(result.output.match(/<<<end-untrusted-data/g)).toHaveLength(1);
    expect(UNTRUSTED_CONTENT_INSTRUCTION).toContain('untrusted data');
  });

  it('reads only up to the size cap of a huge page, and hangs up', async () => {
    const started = Date.now();
    const result = await call(tool, { url: site.url('/huge') });
    expect(result.output).toContain('The page was larger than the size limit');
    expect(untrustedBody(result.output)).toContain('Title: Huge page');
    expect(Date.now() - started).toBeLessThan(10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(site.hugeBytesSent()).toBeLessThan(16 * 1024 * 1024);
  });

  it('gives up on a slow page with a clear time-out', async () => {
    const started = Date.now();
    const result = await call(tool, { url: site.url('/slow') });
    expect(result).toEqual({ output: `${site.url('/slow')} did not load within 1.5 s.`, isError: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads JSON and plain text as text, decompresses gzip, and refuses binary content', async () => {
    expect(untrustedBody((await call(tool, { url: site.url('/data.json') })).output)).toContain(
      '"json body text"',
    );
    expect(untrustedBody((await call(tool, { url: site.url('/plain.txt') })).output)).toContain(
      'Plain text body.\nSecond line.',
    );
    expect(untrustedBody((await call(tool, { url: site.url('/gzip') })).output)).toContain(
      'travelled gzip-compressed',
    );
    const image = await call(tool, { url: site.url('/pixel.png') });
    expect(image).toEqual({
      output: expect.stringContaining('is image/png, which fetch_url cannot read'),
      isError: true,
    });
  });

  it('reports an HTTP error status with the page', async () => {
    const result = await call(tool, { url: site.url('/missing') });
    expect(result.output).toContain('The server answered HTTP 404.');
    expect(untrustedBody(result.output)).toContain('Nothing here.');
  });

  it('rethrows when the run is cancelled', async () => {
    const controller = new AbortController();
    const pending = call(tool, { url: site.url('/slow') }, controller.signal);
    setTimeout(() => controller.abort(new Error('run cancelled')), 100);
    await expect(pending).rejects.toThrow('run cancelled');
  });
});
