import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCheckedLookup,
  NetworkPolicy,
  parseAddress,
  resolveChecked,
  specialRangeOf,
} from '../src/index.js';

const policy = new NetworkPolicy();
const blockedAt = (address: string, port = 80) =>
  !policy.checkAddress({ host: address, address, port }).allowed;

describe('special-use addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private network'],
    ['172.16.0.1', 'private network'],
    ['172.31.255.255', 'private network'],
    ['192.168.1.1', 'private network'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['0.1.2.3', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved (incl. broadcast)'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
  ])('%s is %s and blocked', (address, range) => {
    expect(specialRangeOf(parseAddress(address)!)).toBe(range);
    expect(blockedAt(address)).toBe(true);
  });

  it.each([
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::ffff:10.0.0.1',
    '::ffff:192.168.0.1',
    '::ffff:100.64.0.1',
    '::ffff:0.0.0.0',
    '0:0:0:0:0:ffff:7f00:0001',
  ])('the IPv4-mapped form %s is blocked like its IPv4 address', (address) => {
    expect(blockedAt(address)).toBe(true);
  });

  it('blocks private IPv4 addresses hidden in NAT64 and 6to4 addresses', () => {
    expect(blockedAt('64:ff9b::a9fe:a9fe')).toBe(true);
    expect(blockedAt('2002:7f00:1::1')).toBe(true);
    expect(blockedAt('64:ff9b::808:808')).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
  ])('allows the public address %s', (address) => {
    expect(blockedAt(address)).toBe(false);
  });
});

describe('URLs', () => {
  it.each([
    'file:///etc/passwd',
    'data:text/html,<h1>hi</h1>',
    'chrome://settings',
    'javascript:alert(1)',
    'about:blank',
    'ftp://example.com/file',
    'ws://example.com/socket',
  ])('refuses %s: only http and https', (url) => {
    const decision = policy.checkUrl(url);
    expect(decision).toEqual({ allowed: false, reason: expect.stringContaining('only http: and https:') });
    expect(() => policy.assertUrl(url)).toThrow(/Blocked by the network policy/);
  });

  it.each([
    'http://127.0.0.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://127.1/',
    'http://0/',
    'https://10.1.2.3/',
  ])('refuses %s before any DNS: its host is a special-use literal', (url) => {
    expect(policy.checkUrl(url).allowed).toBe(false);
  });

  it('leaves host names to the resolved-address check', () => {
    expect(policy.checkUrl('https://example.com/page').allowed).toBe(true);
    expect(policy.checkUrl('not a url')).toEqual({
      allowed: false,
      reason: expect.stringContaining('not a valid URL'),
    });
  });
});

describe('allow and deny rules', () => {
  it('reads a comma-separated allow list: host names and CIDR ranges', () => {
    const allowed = new NetworkPolicy({ server: { allow: 'localhost, 127.0.0.0/8' } });
    expect(allowed.checkAddress({ host: 'x.test', address: '127.0.0.1', port: 80 }).allowed).toBe(true);
    expect(allowed.checkAddress({ host: 'localhost', address: '::1', port: 80 }).allowed).toBe(true);
    expect(allowed.checkAddress({ host: 'x.test', address: '::ffff:127.0.0.1', port: 80 }).allowed).toBe(
      true,
    );
    expect(allowed.checkAddress({ host: 'x.test', address: '10.0.0.1', port: 80 }).allowed).toBe(false);
    expect(allowed.checkAddress({ host: 'x.test', address: '::1', port: 80 }).allowed).toBe(false);
  });

  it('matches a port when the rule names one', () => {
    const allowed = new NetworkPolicy({
      server: { allow: ['127.0.0.1:8080', 'intranet.corp:443', '[::1]:9000'] },
    });
    expect(allowed.checkUrl('http://127.0.0.1:8080/').allowed).toBe(true);
    expect(allowed.checkUrl('http://127.0.0.1:22/').allowed).toBe(false);
    expect(allowed.checkUrl('http://[::1]:9000/').allowed).toBe(true);
    expect(allowed.checkAddress({ host: 'intranet.corp', address: '10.0.0.5', port: 443 }).allowed).toBe(
      true,
    );
    expect(allowed.checkAddress({ host: 'intranet.corp', address: '10.0.0.5', port: 80 }).allowed).toBe(
      false,
    );
  });

  it('denies host names (and *.subdomains) and ranges, and deny wins over allow', () => {
    const denying = new NetworkPolicy({
      server: {
        allow: ['10.0.0.0/8'],
        deny: ['*.evil.example', 'tracker.example', '10.9.0.0/16', '93.184.0.0/16'],
      },
    });
    expect(denying.checkUrl('https://a.evil.example/').allowed).toBe(false);
    expect(denying.checkUrl('https://evil.example/').allowed).toBe(true);
    expect(denying.checkUrl('https://TRACKER.example./x').allowed).toBe(false);
    expect(denying.checkAddress({ host: 'x', address: '10.1.0.1', port: 80 }).allowed).toBe(true);
    expect(denying.checkAddress({ host: 'x', address: '10.9.0.1', port: 80 }).allowed).toBe(false);
    expect(denying.checkAddress({ host: 'x', address: '93.184.216.34', port: 443 })).toEqual({
      allowed: false,
      reason: expect.stringContaining("rule '93.184.0.0/16'"),
    });
  });

  it('adds tenant rules to the server rules', () => {
    const server = new NetworkPolicy({ server: { deny: ['blocked.example'] } });
    const tenant = server.forTenant({ allow: ['10.1.0.0/16'], deny: ['rival.example'] });
    expect(server.checkAddress({ host: 'x', address: '10.1.2.3', port: 80 }).allowed).toBe(false);
    expect(tenant.checkAddress({ host: 'x', address: '10.1.2.3', port: 80 }).allowed).toBe(true);
    expect(tenant.checkAddress({ host: 'x', address: '10.2.0.1', port: 80 }).allowed).toBe(false);
    expect(tenant.checkUrl('https://rival.example/').allowed).toBe(false);
    expect(tenant.checkUrl('https://blocked.example/').allowed).toBe(false);
    expect(server.checkUrl('https://rival.example/').allowed).toBe(true);
  });

  it('rejects a malformed rule instead of ignoring it', () => {
    expect(() => new NetworkPolicy({ server: { allow: ['10.0.0.0/33'] } })).toThrow(/not a valid CIDR/);
    expect(() => new NetworkPolicy({ server: { allow: ['bad host!'] } })).toThrow(/not a host name/);
    expect(() => new NetworkPolicy({ server: { allow: ['localhost:99999'] } })).toThrow(/invalid port/);
  });
});

describe('resolving under the policy', () => {
  const resolver = createTestResolver({
    'evil.test': ['127.0.0.1'],
    'mixed.test': ['93.184.216.34', '10.0.0.1'],
    'public.test': ['93.184.216.34', '2606:4700::1'],
    'mapped.test': ['::ffff:169.254.169.254'],
  });

  it('refuses a name that resolves to a private address', async () => {
    await expect(resolveChecked(policy, 'evil.test', 80, resolver)).rejects.toMatchObject({
      code: 'blocked_by_policy',
      message: expect.stringContaining('evil.test (127.0.0.1) is a loopback address'),
    });
    await expect(resolveChecked(policy, 'mapped.test', 80, resolver)).rejects.toMatchObject({
      code: 'blocked_by_policy',
    });
  });

  it('refuses a name if any of its addresses is blocked', async () => {
    await expect(resolveChecked(policy, 'mixed.test', 443, resolver)).rejects.toMatchObject({
      message: expect.stringContaining('10.0.0.1'),
    });
  });

  it('returns the checked addresses of a public name, and literals without DNS', async () => {
    expect(await resolveChecked(policy, 'public.test', 443, resolver)).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
    const asked = resolver.asked.length;
    expect(await resolveChecked(policy, '[2606:4700::1]', 443, resolver)).toEqual([
      { address: '2606:4700::1', family: 6 },
    ]);
    expect(resolver.asked.length).toBe(asked);
  });

  it('reports an unknown name as a network error', async () => {
    await expect(resolveChecked(policy, 'nowhere.test', 80, resolver)).rejects.toMatchObject({
      code: 'network_error',
    });
  });
});

describe('the checked lookup with net.connect', () => {
  let site: Server;
  let port: number;
  beforeAll(async () => {
    site = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    port = (site.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => site.close(resolve));
  });

  const tryConnect = (host: string, lookup: ReturnType<typeof createCheckedLookup>) =>
    new Promise<string>((resolve) => {
      const socket = connect({ host, port, lookup });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error) => resolve(error.message));
    });

  it('connects only to checked addresses', async () => {
    const resolver = createTestResolver({ 'evil.test': ['127.0.0.1'], 'site.test': ['127.0.0.1'] });
    expect(await tryConnect('evil.test', createCheckedLookup(policy, { resolver }))).toMatch(
      /loopback address/,
    );
    const allowing = new NetworkPolicy({ server: { allow: ['site.test'] } });
    expect(await tryConnect('site.test', createCheckedLookup(allowing, { resolver }))).toBe('connected');
    expect(await tryConnect('evil.test', createCheckedLookup(allowing, { resolver }))).toMatch(
      /loopback address/,
    );
  });
});
