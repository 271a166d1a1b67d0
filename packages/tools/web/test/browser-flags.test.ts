import { readFileSync } from 'node:fs';
import { createTestResolver } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumArgs,
  PLAYWRIGHT_DISABLED_FEATURES,
  UNSEEN_BROWSER_UI_FEATURES,
} from '../src/browser/chromium-flags.js';
import { BrowserPool, NetworkPolicy } from '../src/index.js';
import { startTestSite, type TestSite } from './support/test-site.js';

// Chromium reads only the last --disable-features it is given: ours must
// keep Playwright's, and a context must not build browser UI nobody sees.

const disabledIn = (args: readonly string[]) =>
  args.filter((arg) => arg.startsWith('--disable-features=')).map((arg) => arg.slice(19).split(','));

describe('chromiumArgs', () => {
  it("folds Playwright's, ours and the caller's disabled features into one switch, keeping other extra arguments", () => {
    const args = chromiumArgs(9, ['--disable-features=Foo,Bar', '--lang=de', '--disable-features=Baz']);
    const lists = disabledIn(args);
    expect(lists).toHaveLength(1);
    expect(lists[0]).toEqual(
      expect.arrayContaining([
        ...PLAYWRIGHT_DISABLED_FEATURES,
        ...UNSEEN_BROWSER_UI_FEATURES,
        'Foo',
        'Bar',
        'Baz',
      ]),
    );
    expect(args).toContain('--lang=de');
    expect(args).toContain('--proxy-server=http://127.0.0.1:9');
  });
});

describe('the launched Chromium', () => {
  let site: TestSite;
  let pool: BrowserPool;

  beforeAll(async () => {
    site = await startTestSite();
    pool = new BrowserPool({ resolver: createTestResolver({ localhost: ['127.0.0.1'] }) });
    const policy = new NetworkPolicy({ server: { allow: [`localhost:${site.port}`] } });
    const session = await pool.session('flags', policy);
    expect((await session.open(site.url('/article'))).title).toBe('The Article');
  });

  afterAll(async () => {
    await pool.close();
    await site.close();
  });

  /** Each process's command line (Chromium rewrites its children's into one space-separated string). */
  const commandLines = async () =>
    (await pool.processIds()).map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      } catch {
        return [];
      }
    });

  it("keeps every feature Playwright disables in the one list Chromium reads (the last), so an upgrade's additions are caught", async () => {
    const main = (await commandLines()).find((args) => args.includes('--remote-debugging-pipe'));
    expect(main).toBeDefined();
    const lists = disabledIn(main ?? []);
    expect(lists.length).toBeGreaterThan(1);
    const last = lists.at(-1) ?? [];
    for (const list of lists) expect(last).toEqual(expect.arrayContaining(list));
    expect(last).toEqual(expect.arrayContaining([...UNSEEN_BROWSER_UI_FEATURES]));
  });

  it('makes a context without a renderer for browser UI: only the pages themselves', async () => {
    const lines = await commandLines();
    expect(lines.some((args) => args.includes('--type=renderer'))).toBe(true);
    expect(lines.filter((args) => args.includes('--top-chrome-webui'))).toEqual([]);
  });
});
