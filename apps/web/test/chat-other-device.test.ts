import { type AgentdWithFakeModel, startAgentdWithFakeModel } from '@agentd/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuild,
  expectAccessible,
  launchBrowser,
  openPage,
  PHONE,
  screenshot,
  signIn,
  WEB_DIST,
} from './support/browser.js';

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

// A live answer opened on a second device (its own browser context: no shared storage).
describe('the chat on another device', () => {
  let agentd: AgentdWithFakeModel;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuild();
    agentd = await startAgentdWithFakeModel({ backend: 'pglite', env: { AGENTD_WEB_DIR: WEB_DIST } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await agentd?.close();
  });

  it('picks the live stream up on another device, with nothing missing or repeated', {
    timeout: 180_000,
  }, async () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i} `);
    agentd.fake.enqueue({ chunks: words, chunkDelayMs: 80 });
    const laptop = await openPage(browser);
    await signIn(laptop.page, agentd.server.url, agentd.server.adminKey);
    await laptop.page.getByLabel('Message', { exact: true }).fill('Count slowly');
    await laptop.page.keyboard.press('Enter');
    const first = laptop.page.getByTestId('answer');
    await eventually(async () => ((await first.textContent()) ?? '').includes('word5 ')).toBe(true);
    const address = laptop.page.url();
    expect(address).toMatch(/\/c\/conv_/);

    const phone = await openPage(browser);
    await signIn(phone.page, agentd.server.url, agentd.server.adminKey);
    await phone.page.setViewportSize(PHONE);
    await phone.page.goto(address);
    const second = phone.page.getByTestId('answer');
    // Still streaming when the phone joins, then whole: the same text on both, once each.
    await phone.page.locator('[data-testid="answer"][aria-busy="true"]').waitFor();
    await screenshot(phone.page, 'other-device-live-phone');
    await phone.page.locator('[data-testid="answer"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    await laptop.page.locator('[data-testid="answer"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    const whole = words.join('').trim();
    expect((await second.locator('.markdown').textContent())?.trim()).toBe(whole);
    expect((await first.locator('.markdown').textContent())?.trim()).toBe(whole);
    expect(await phone.page.getByTestId('user-message').allTextContents()).toEqual(['Count slowly']);
    await expectAccessible(phone.page, 'a live answer on a second device');
    await screenshot(phone.page, 'other-device-done-phone');
    // Opened again once the run ended: from the stored conversation, still once.
    await phone.page.reload();
    await phone.page.locator('[data-testid="answer"]').first().waitFor();
    expect(await phone.page.getByTestId('user-message').allTextContents()).toEqual(['Count slowly']);
    expect(await phone.page.getByTestId('answer').count()).toBe(1);
    expect(phone.pageErrors).toEqual([]);
    expect(phone.cspViolations).toEqual([]);
    await laptop.context.close();
    await phone.context.close();
  });
});
