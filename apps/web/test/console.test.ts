import type { AgentdWithFakeModel } from '@agentd/test-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

/** expect.poll with room for a loaded machine (its default gives up after a second). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

// The console in Debian's Chromium against a real server: agents, API keys, a run's event log.
describe('the web console', () => {
  let agentd: AgentdWithFakeModel;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ agentd, browser } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('creates an agent, which the chat then offers', async () => {
    const { context, page, cspViolations } = await openPage(browser);
    await signIn(page, agentd.server.url, agentd.server.adminKey);
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Create an agent' });
    await form.getByLabel('Name').fill('researcher');
    await form.getByLabel('Instructions').fill('Find sources.');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('rowheader', { name: 'researcher', exact: true }).waitFor();
    const listed = await agentd.api.get('/v1/agents');
    expect(listed.body.data.map((agent: { name: string }) => agent.name)).toContain('researcher');
    await expectAccessible(page, 'the agents page');
    await screenshot(page, 'console-agents-desktop');
    await page.getByRole('button', { name: 'New chat' }).click();
    expect(await page.getByLabel('Agent').locator('option').allTextContents()).toContain('researcher');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('creates an API key shown once, which works, and revokes it', async () => {
    const { context, page } = await openPage(browser);
    await signIn(page, agentd.server.url, agentd.server.adminKey);
    await page.getByRole('link', { name: 'API keys' }).click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('ci-bot');
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-key');
    const secret = (await shown.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^sk-agentd-/);
    const works = await fetch(`${agentd.server.url}/v1/agents`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(works.status).toBe(200);
    await expectAccessible(page, 'the API keys page');
    await screenshot(page, 'console-keys-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-keys-phone');
    // Shown once: gone when dismissed, and the list only ever shows the redacted form.
    await shown.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(secret);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await eventually(
      async () =>
        (await fetch(`${agentd.server.url}/v1/agents`, { headers: { authorization: `Bearer ${secret}` } }))
          .status,
    ).toBe(401);
    await page.getByRole('button', { name: 'Revoke ci-bot' }).waitFor({ state: 'detached' });
    await context.close();
  });

  it("shows a run's event log in the inspector", async () => {
    agentd.fake.enqueue({ text: 'Inspected.' });
    const run = await agentd.api.post('/v1/responses', { input: 'hi' });
    const { context, page } = await openPage(browser);
    await signIn(page, agentd.server.url, agentd.server.adminKey);
    await page.goto(`${agentd.server.url}/console/runs/${run.body.id}`);
    await page.getByRole('heading', { name: 'Run inspector' }).waitFor();
    await page.locator('.timeline summary', { hasText: 'response.completed' }).waitFor();
    const types = await page.locator('.timeline summary').allTextContents();
    expect(types[0]).toContain('response.created');
    expect(types.at(-1)).toContain('response.completed');
    await expectAccessible(page, 'the run inspector');
    await screenshot(page, 'console-run-desktop');
    await context.close();
  });
});
