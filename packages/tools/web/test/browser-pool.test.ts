import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool, NetworkPolicy } from '../src/index.js';
import { startTestSite, type TestSite } from './support/test-site.js';

let site: TestSite;
let pool: BrowserPool;
const policy = () => new NetworkPolicy({ server: { allow: [`localhost:${site.port}`] } });

beforeAll(async () => {
  site = await startTestSite();
  pool = new BrowserPool({
    resolver: createTestResolver({ localhost: ['127.0.0.1'] }),
    maxSessions: 2,
    sessionIdleMs: 2500,
    browserIdleMs: 400,
  });
});

afterAll(async () => {
  await pool.close();
  await site.close();
});

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
};

describe('BrowserPool', () => {
  it('keeps one context per conversation, shared by equal policies, and serialises parallel calls', async () => {
    const [first, again] = await Promise.all([pool.session('a', policy()), pool.session('a', policy())]);
    expect(again).toBe(first);
    const [one, two] = await Promise.all([first.open(site.url('/article')), first.open(site.url('/second'))]);
    expect(one.title).toBe('The Article');
    expect(two.title).toBe('The Second Page');
    expect(first.page?.url).toBe(site.url('/second'));
    const other = await pool.session(
      'a',
      new NetworkPolicy({ server: { allow: [`localhost:${site.port}`, 'x.test'] } }),
    );
    expect(other).not.toBe(first);
    expect(first.closed).toBe(true);
  });

  it('closes the least recently used idle context beyond maxSessions', async () => {
    // A pool of its own: the shared one's short idle time would close b too on a loaded machine.
    const lru = new BrowserPool({
      resolver: createTestResolver({ localhost: ['127.0.0.1'] }),
      maxSessions: 2,
    });
    try {
      const a = await lru.session('a', policy());
      await a.open(site.url('/article'));
      const b = await lru.session('b', policy());
      await b.open(site.url('/second'));
      await lru.session('c', policy());
      expect((await lru.stats()).sessions).toBe(2);
      expect(a.closed).toBe(true);
      expect(b.closed).toBe(false);
    } finally {
      await lru.close();
    }
  });

  it('closes idle contexts, then the idle browser, and relaunches on demand', async () => {
    await (await pool.session('c', policy())).open(site.url('/article'));
    const pids = await pool.processIds();
    expect(pids.length).toBeGreaterThan(0);
    const { launches } = await pool.stats();
    await waitFor(async () => !(await pool.stats()).browserRunning);
    expect(await pool.stats()).toMatchObject({ sessions: 0, browserRunning: false, launches });
    const session = await pool.session('d', policy());
    expect((await session.open(site.url('/second'))).title).toBe('The Second Page');
    expect(await pool.stats()).toMatchObject({ sessions: 1, browserRunning: true, launches: launches + 1 });
    expect((await pool.processIds()).some((pid) => pids.includes(pid))).toBe(false);
  });

  it('warms ahead of the first call: Chromium and a spare context, which the first conversation takes', async () => {
    const warmed = new BrowserPool({ resolver: createTestResolver({ localhost: ['127.0.0.1'] }) });
    try {
      await warmed.warm({ launch: policy() });
      expect(await warmed.stats()).toMatchObject({ browserRunning: true, launches: 1, sessions: 0 });
      const session = await warmed.session('first', policy());
      expect((await session.open(site.url('/article'))).title).toBe('The Article');
      expect(await warmed.stats()).toMatchObject({ launches: 1, sessions: 1 });
    } finally {
      await warmed.close();
    }
  });

  it('closes an evicted context beside the new conversation, and waits for it when the pool closes', async () => {
    const small = new BrowserPool({
      resolver: createTestResolver({ localhost: ['127.0.0.1'] }),
      maxSessions: 1,
    });
    try {
      const a = await small.session('a', policy());
      await a.open(site.url('/article'));
      const b = await small.session('b', policy());
      expect(a.closed).toBe(true);
      expect((await b.open(site.url('/second'))).title).toBe('The Second Page');
      expect((await small.stats()).sessions).toBe(1);
    } finally {
      await small.close();
    }
    expect(await small.processIds()).toEqual([]);
  });
});
