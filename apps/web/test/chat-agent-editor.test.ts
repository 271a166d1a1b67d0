import type { AgentdWithFakeModel } from '@agentd/test-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

// Editing an agent in the console (a form generated from the server's schema), its versions and
// their diff, and "Try in chat": Debian's Chromium against a real server with the fake model.
describe('the agent editor', () => {
  let agentd: AgentdWithFakeModel;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
    ({ agentd, browser } = stack);
    await agentd.api.post('/v1/tools', {
      name: 'weather',
      description: 'The weather',
      input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      adapter: { type: 'http', url: 'http://127.0.0.1:9/weather' },
    });
    await agentd.api.post('/v1/agents', { name: 'planner', instructions: 'Plan trips.' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('edits an agent with the schema form, shows the versions diff, and tries it in chat', async () => {
    const { context, page, cspViolations, pageErrors } = await openPage(browser);
    await signIn(page, agentd.server.url, agentd.server.adminKey);
    await page.getByRole('link', { name: 'Agents' }).click();
    await page.getByRole('button', { name: 'Edit planner' }).click();
    const form = page.getByRole('form', { name: 'Edit planner' });
    await form.getByLabel('instructions', { exact: true }).waitFor();
    await form.getByLabel('instructions', { exact: true }).fill('Plan trips by train.');
    await form.getByRole('checkbox', { name: 'weather' }).check();
    // model_settings is an object in the schema: a fieldset with its own typed fields.
    const settings = form.getByRole('group', { name: 'model_settings' });
    await settings.getByLabel('temperature').fill('0.3');
    await settings.getByLabel('reasoning_effort').selectOption('low');
    // A JSON field refuses what does not parse, and the form cannot be sent meanwhile.
    await form.getByLabel('metadata (JSON)').fill('{"team": ');
    await form.getByText(/Not JSON/).waitFor();
    expect(await form.getByRole('button', { name: 'Save as a new version' }).isDisabled()).toBe(true);
    await form.getByLabel('metadata (JSON)').fill('{"team": "travel"}');
    await form.getByRole('button', { name: 'Save as a new version' }).click();
    await form.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();

    const stored = (await agentd.api.get('/v1/agents')).body.data.find(
      (agent: { name: string }) => agent.name === 'planner',
    );
    expect(stored).toMatchObject({
      version: 2,
      instructions: 'Plan trips by train.',
      tools: ['weather'],
      model_settings: { temperature: 0.3, reasoning_effort: 'low' },
      metadata: { team: 'travel' },
    });

    // Versions 1 and 2, and what changed between them.
    const versions = page.getByRole('region', { name: 'Versions of planner' });
    await eventually(() => versions.getByLabel('To').inputValue()).toBe('2');
    expect(await versions.getByLabel('From').inputValue()).toBe('1');
    const added = await versions.locator('.diff .added').allTextContents();
    const removed = await versions.locator('.diff .removed').allTextContents();
    expect(added.join('\n')).toContain('"instructions": "Plan trips by train."');
    expect(added.join('\n')).toContain('"temperature": 0.3');
    expect(removed.join('\n')).toContain('"instructions": "Plan trips."');
    await expectAccessible(page, 'the agent editor');
    await screenshot(page, 'console-agent-editor-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-agent-editor-phone');
    await expectAccessible(page, 'the agent editor on a phone');

    // A bad value is refused by the server, which names the field.
    await page.setViewportSize({ width: 1280, height: 800 });
    await settings.getByLabel('max_output_tokens').fill('0');
    await form.getByLabel('max_output_tokens').evaluate((input: HTMLInputElement) => {
      input.removeAttribute('min');
    });
    await form.getByRole('button', { name: 'Save as a new version' }).click();
    await form.getByRole('alert').filter({ hasText: 'max_output_tokens' }).waitFor();

    // Try in chat: a new chat with the agent chosen, whose edited instructions reach the model.
    agentd.fake.enqueue({ text: 'Take the night train.' });
    await page.getByRole('button', { name: 'Try in chat: planner' }).click();
    await eventually(async () =>
      page
        .getByLabel('Agent')
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? ''),
    ).toBe('planner');
    await page.getByLabel('Message', { exact: true }).fill('Paris to Rome?');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="answer"][aria-busy="false"]').waitFor();
    expect(await page.getByTestId('answer').textContent()).toContain('Take the night train.');
    const sent = JSON.stringify(agentd.fake.requests.at(-1)?.body);
    expect(sent).toContain('Plan trips by train.');
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
