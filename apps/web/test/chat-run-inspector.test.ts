import type { AgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

const cityInput = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

// The run inspector replays a chat run step by step: Debian's Chromium, a real server, the fake model.
describe('the run inspector', () => {
  let agentd: AgentdWithFakeModel;
  let upstream: ToolServer;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    upstream = await startToolServer({
      weather: (body: { city: string }) => ({ city: body.city, sky: 'rain' }),
    });
    stack = await startWebStack();
    ({ agentd, browser } = stack);
    await agentd.api.post('/v1/tools', {
      name: 'weather',
      description: 'The weather',
      input_schema: cityInput,
      adapter: { type: 'http', url: `${upstream.url}/weather` },
    });
    await agentd.api.post('/v1/tools', {
      name: 'book_hotel',
      description: 'Books a hotel',
      input_schema: cityInput,
      adapter: { type: 'http', url: `${upstream.url}/weather` },
      requires_approval: true,
    });
  });
  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  it('replays a run step by step: model requests, the tool call, the answer, and an approval asked', {
    timeout: 180_000,
  }, async () => {
    agentd.fake.enqueue(
      { toolCalls: [{ id: 'w1', name: 'weather', arguments: '{"city":"Bergen"}' }] },
      { text: 'Rain in Bergen: take an umbrella.' },
    );
    const run = await agentd.api.post('/v1/responses', { input: 'Weather in Bergen?', tools: ['weather'] });
    expect(run.body.status).toBe('completed');
    const { context, page, cspViolations, pageErrors } = await openPage(browser);
    await signIn(page, agentd.server.url, agentd.server.adminKey);
    await page.goto(`${agentd.server.url}/console/runs/${run.body.id}`);
    const controls = page.getByRole('group', { name: 'Replay' });
    const status = controls.locator('output');
    // Opens at the last step: the whole answer.
    await status.filter({ hasText: /run completed/ }).waitFor();
    const replay = page.getByRole('region', { name: 'The run at this step' });
    await replay.getByText('Rain in Bergen: take an umbrella.').waitFor();
    const lines = await page.locator('.timeline .step-line').allTextContents();
    expect(lines.some((line) => line.includes('model request 1'))).toBe(true);
    expect(lines.some((line) => line.includes('tool weather called with {"city":"Bergen"}'))).toBe(true);
    expect(lines.some((line) => line.includes('tool weather completed'))).toBe(true);
    expect(lines.some((line) => line.includes('model request 2'))).toBe(true);

    // First step: only the question, no answer yet.
    await controls.getByRole('button', { name: 'First' }).click();
    await screenshot(page, 'console-run-replay-first');
    expect(pageErrors).toEqual([]);
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/^Step 1 of \d+: run /);
    await replay.getByTestId('user-message').filter({ hasText: 'Weather in Bergen?' }).waitFor();
    expect(await replay.getByText('Rain in Bergen').count()).toBe(0);
    // Forward, by keyboard, to the tool call's start: the tool shows running, still no answer.
    const next = controls.getByRole('button', { name: 'Next step' });
    for (let guard = 0; guard < 50; guard++) {
      if (((await status.textContent()) ?? '').includes('tool weather called')) break;
      await next.focus();
      await page.keyboard.press('Enter');
    }
    expect(await status.textContent()).toContain('tool weather called');
    expect(await replay.getByTestId('step-tool').locator('.step-title').textContent()).toBe('weather');
    expect(await replay.getByText('Rain in Bergen').count()).toBe(0);
    expect(await page.locator('.timeline li[aria-current="step"] .step-line').textContent()).toContain(
      'tool weather called',
    );
    await screenshot(page, 'console-run-replay-desktop');
    await expectAccessible(page, 'the run inspector mid-replay');
    // Back one step, then a step chosen on the timeline.
    await controls.getByRole('button', { name: 'Previous step' }).click();
    expect(await status.textContent()).not.toContain('tool weather called');
    await page.locator('.timeline li').last().locator('summary').click();
    await page.locator('.timeline li').last().getByRole('button', { name: 'Replay to here' }).click();
    await replay.getByText('Rain in Bergen: take an umbrella.').waitFor();
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-run-replay-phone');
    await expectAccessible(page, 'the run inspector on a phone');

    // A run waiting for an approval: the request is on the timeline as an approval step.
    agentd.fake.enqueue({ toolCalls: [{ id: 'h1', name: 'book_hotel', arguments: '{"city":"Bergen"}' }] });
    const asked = await agentd.api.post('/v1/responses', { input: 'Book it', tools: ['book_hotel'] });
    await page.goto(`${agentd.server.url}/console/runs/${asked.body.id}`);
    await page.locator('.timeline .kind-approval').first().waitFor();
    expect(await page.locator('.timeline .step-line').allTextContents()).toContainEqual(
      expect.stringContaining('approval asked for book_hotel'),
    );
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
