import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool, type BrowserSession, NetworkPolicy } from '../src/index.js';
import { startTestSite, type TestSite } from './support/test-site.js';

// The context made ahead for the next new conversation (the spare) is fresh
// and goes to exactly one conversation; a closed conversation's context is
// gone with everything its pages left in it.

let site: TestSite;
let pool: BrowserPool;
const policy = () => new NetworkPolicy({ server: { allow: [`localhost:${site.port}`] } });

beforeAll(async () => {
  site = await startTestSite();
  pool = new BrowserPool({ resolver: createTestResolver({ localhost: ['127.0.0.1'] }), maxSessions: 8 });
});

afterAll(async () => {
  await pool.close();
  await site.close();
});

const spareReady = async () => {
  for (let i = 0; i < 300 && !(await pool.stats()).spareReady; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect((await pool.stats()).spareReady).toBe(true);
};

/** What the conversation's context holds for the test site: its cookie and local storage. */
const recall = async (session: BrowserSession) => (await session.open(site.url('/recall'))).content;

describe('the spare context', () => {
  it('goes to one of two conversations that start together; each gets a context nobody used', async () => {
    const first = await pool.session('spare-first', policy());
    await first.open(site.url('/remember?as=first'));
    await spareReady();
    const { sparesTaken } = await pool.stats();
    const [one, two] = await Promise.all([
      pool.session('spare-one', policy()),
      pool.session('spare-two', policy()),
    ]);
    expect((await pool.stats()).sparesTaken).toBe(sparesTaken + 1);
    expect(one).not.toBe(two);
    expect(await recall(one)).toContain('Cookie () storage ()');
    expect(await recall(two)).toContain('Cookie () storage ()');
    await one.open(site.url('/remember?as=one'));
    expect(await recall(one)).toContain('Cookie (visitor=one) storage (one)');
    expect(await recall(two)).toContain('Cookie () storage ()');
    expect(await recall(first)).toContain('Cookie (visitor=first) storage (first)');
  });

  it('is made again after it was taken: the next conversation gets another fresh context, not the one taken', async () => {
    const taker = await pool.session('spare-taker', policy());
    await taker.open(site.url('/remember?as=taker'));
    await spareReady();
    const { sparesTaken } = await pool.stats();
    const next = await pool.session('spare-next', policy());
    expect((await pool.stats()).sparesTaken).toBe(sparesTaken + 1);
    expect(next).not.toBe(taker);
    expect(await recall(next)).toContain('Cookie () storage ()');
    expect(next.id).toBe('spare-next');
    expect(taker.id).toBe('spare-taker');
  });

  it('is handed over while it is still being made, rather than thrown away for another', async () => {
    const before = await pool.session('spare-before', policy());
    await before.open(site.url('/article'));
    // The spare's making starts once that first call is over, and takes longer than this.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { sparesTaken } = await pool.stats();
    const during = await pool.session('spare-during', policy());
    expect((await pool.stats()).sparesTaken).toBe(sparesTaken + 1);
    expect(during.closed).toBe(false);
    expect(await recall(during)).toContain('Cookie () storage ()');
  });

  it('is not handed to a conversation under other network rules', async () => {
    const first = await pool.session('rules-first', policy());
    await first.open(site.url('/article'));
    await spareReady();
    const { sparesTaken } = await pool.stats();
    const other = new NetworkPolicy({ server: { allow: [`localhost:${site.port}`, 'other.test'] } });
    const session = await pool.session('rules-other', other);
    expect((await pool.stats()).sparesTaken).toBe(sparesTaken);
    expect((await session.open(site.url('/second'))).title).toBe('The Second Page');
  });
});

describe('closing a conversation', () => {
  it('discards its context: the same conversation starts again with no cookie, storage or history', async () => {
    const session = await pool.session('closing', policy());
    await session.open(site.url('/remember?as=closing'));
    expect(await recall(session)).toContain('Cookie (visitor=closing) storage (closing)');
    await pool.closeSession('closing');
    expect(session.closed).toBe(true);
    await expect(session.open(site.url('/article'))).rejects.toThrow(/closed/);
    const again = await pool.session('closing', policy());
    expect(again).not.toBe(session);
    expect(await recall(again)).toContain('Cookie () storage ()');
    await expect(again.back()).rejects.toThrow(/no previous page/i);
  });
});
