import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALLOW_HINT,
  type ConnectionEvent,
  createPolicyFetch,
  NetworkPolicy,
  NetworkPolicyError,
} from '../src/index.js';

interface Site {
  port: number;
  hits: string[];
  close(): Promise<void>;
}

async function startSite(route: (path: string) => { status: number; headers?: Record<string, string> }) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    const { status, headers } = route(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(`hello from ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site: Site = {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return site;
}

describe('createPolicyFetch', () => {
  let site: Site;
  let other: Site;
  beforeAll(async () => {
    other = await startSite(() => ({ status: 200 }));
    site = await startSite((path) =>
      path === '/hop'
        ? { status: 302, headers: { location: `http://127.0.0.1:${other.port}/secret` } }
        : { status: 200 },
    );
  });
  afterAll(async () => {
    await site.close();
    await other.close();
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  it('refuses loopback and the metadata address under the default policy, before connecting', async () => {
    const policed = createPolicyFetch({ policy: new NetworkPolicy() });
    const loopback = await refusal(policed(`http://127.0.0.1:${site.port}/`));
    expect(loopback).toBeInstanceOf(NetworkPolicyError);
    expect(loopback).toMatchObject({
      code: 'blocked_by_policy',
      reason: expect.stringContaining('loopback'),
    });
    const metadata = await refusal(policed('http://169.254.169.254/latest/meta-data/'));
    expect((metadata as Error).message).toBe(
      `Blocked by the network policy: 169.254.169.254 is a link-local (cloud metadata) address, which the network policy blocks (${ALLOW_HINT}).`,
    );
    expect(site.hits).toEqual([]);
  });

  it('refuses a name that resolves to a private address, with the name and the address', async () => {
    const resolver = createTestResolver({ 'internal.test': ['10.1.2.3'], 'evil.test': ['127.0.0.1'] });
    const policed = createPolicyFetch({ policy: new NetworkPolicy(), resolver });
    expect(await refusal(policed('http://internal.test/'))).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('internal.test (10.1.2.3) is a private network address'),
    });
    expect(await refusal(policed(`http://evil.test:${site.port}/`))).toMatchObject({
      message: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
    });
    expect(site.hits).toEqual([]);
  });

  it('connects where an allow rule permits, to the checked address', async () => {
    const events: ConnectionEvent[] = [];
    const resolver = createTestResolver({ 'site.test': ['127.0.0.1'] });
    const policed = createPolicyFetch({
      policy: new NetworkPolicy({ server: { allow: [`site.test:${site.port}`] } }),
      resolver,
      onConnect: (event) => events.push(event),
    });
    const response = await policed(`http://site.test:${site.port}/page`);
    expect(await response.text()).toBe('hello from /page');
    expect(events).toEqual([{ host: 'site.test', address: '127.0.0.1', port: site.port }]);
  });

  it('checks every redirect hop', async () => {
    const policed = createPolicyFetch({
      policy: new NetworkPolicy({ server: { allow: [`127.0.0.1:${site.port}`] } }),
    });
    const error = await refusal(policed(`http://127.0.0.1:${site.port}/hop`));
    expect(error).toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('127.0.0.1 is a loopback address'),
    });
    expect(site.hits).toContain('/hop');
    expect(other.hits).toEqual([]);
  });

  it('rejects with the caller’s reason when cancelled, and refuses what is not a URL', async () => {
    const policed = createPolicyFetch({ policy: new NetworkPolicy() });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const aborted = await refusal(policed('http://169.254.169.254/', { signal: controller.signal }));
    // The URL check comes first: a refused URL is refused whatever the signal says.
    expect(aborted).toBeInstanceOf(NetworkPolicyError);
    expect(await refusal(policed('not a url'))).toMatchObject({ code: 'invalid_url' });
    expect(await refusal(policed('file:///etc/passwd'))).toMatchObject({
      reason: expect.stringContaining('only http: and https:'),
    });
    const allowed = createPolicyFetch({
      policy: new NetworkPolicy({ server: { allow: ['127.0.0.1'] } }),
    });
    const cancelled = await refusal(allowed(`http://127.0.0.1:${site.port}/`, { signal: controller.signal }));
    expect(cancelled).toMatchObject({ message: 'stop' });
  });
});
