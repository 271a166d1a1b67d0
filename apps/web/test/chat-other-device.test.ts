import type { AgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

// A live answer opened on a second device (its own browser context: no shared storage).
describe('the chat on another device', () => {
  let agentd: AgentdWithFakeModel;
  let browser: Browser;
  let stack: WebStack;
  let upstream: ToolServer;
  const release: (() => void)[] = [];

  beforeAll(async () => {
    // A tool that answers when the test says so: the run stays live until the second device is on it.
    upstream = await startToolServer({
      slow: () => new Promise((resolve) => release.push(() => resolve({ count: 'done' }))),
    });
    stack = await startWebStack();
    ({ agentd, browser } = stack);
    await agentd.api.post('/v1/tools', {
      name: 'slow_count',
      description: 'Counts slowly',
      input_schema: { type: 'object', properties: {} },
      adapter: { type: 'http', url: `${upstream.url}/slow` },
    });
    await agentd.api.post('/v1/agents', { name: 'counter', tools: ['slow_count'] });
  });
  afterAll(async () => {
    for (const go of release) go();
    await stack?.close();
    await upstream?.close();
  });

  it('picks the live stream up on another device, with nothing missing or repeated', {
    timeout: 180_000,
  }, async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i} `);
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'c1', name: 'slow_count', arguments: '{}' }] },
      { chunks: words, chunkDelayMs: 20 },
    );
    const laptop = await openPage(browser);
    await signIn(laptop.page, agentd.server.url, agentd.server.adminKey);
    await laptop.page.getByLabel('Agent').selectOption({ label: 'counter' });
    await laptop.page.getByLabel('Message', { exact: true }).fill('Count slowly');
    await laptop.page.keyboard.press('Enter');
    await eventually(() => release.length).toBe(1);
    const first = laptop.page.getByTestId('answer').last();
    await laptop.page.getByTestId('step-tool').filter({ hasText: 'slow_count' }).waitFor();
    const address = laptop.page.url();
    expect(address).toMatch(/\/c\/conv_/);

    const phone = await openPage(browser);
    await signIn(phone.page, agentd.server.url, agentd.server.adminKey);
    await phone.page.setViewportSize(PHONE);
    await phone.page.goto(address);
    const second = phone.page.getByTestId('answer').last();
    // The run is live when the phone joins: it shows what happened so far, the tool still running.
    await phone.page.locator('[data-testid="run"][aria-busy="true"]').waitFor();
    await phone.page.getByTestId('step-tool').filter({ hasText: 'slow_count' }).waitFor();
    await screenshot(phone.page, 'other-device-live-phone');
    for (const go of release) go();
    await phone.page.locator('[data-testid="run"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    await laptop.page.locator('[data-testid="run"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    const whole = words.join('').trim();
    expect((await second.locator('.markdown').textContent())?.trim()).toBe(whole);
    expect((await first.locator('.markdown').textContent())?.trim()).toBe(whole);
    expect(await phone.page.getByTestId('user-message').allTextContents()).toEqual(['Count slowly']);
    await expectAccessible(phone.page, 'a live answer on a second device');
    await screenshot(phone.page, 'other-device-done-phone');
    // Opened again once the run ended: from the stored conversation, still once.
    await phone.page.reload();
    await second.waitFor();
    expect(await phone.page.getByTestId('user-message').allTextContents()).toEqual(['Count slowly']);
    expect(await phone.page.getByTestId('step-tool').count()).toBe(1);
    expect(phone.pageErrors).toEqual([]);
    expect(phone.cspViolations).toEqual([]);
    await laptop.context.close();
    await phone.context.close();
  });
});
