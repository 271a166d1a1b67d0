import type { AgentdWithFakeModel } from '@agentd/test-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

/** expect.poll with room for a loaded machine (its default gives up after a second). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });

const LIMITS = {
  budgets: { period: 'day', tenant: { cost_usd: 50, tokens: 1_000_000 } },
  rate_limits: { user: { requests: 600, per_seconds: 60 } },
};

// The console's governance pages in Debian's Chromium against a real server: policies, limits, usage, audit log.
describe('the web console: policies, limits, usage and the audit log', () => {
  let agentd: AgentdWithFakeModel;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack({
      env: {
        AGENTD_LIMITS: JSON.stringify(LIMITS),
        AGENTD_MODEL_PRICES: JSON.stringify({ 'fake-model': { input: 1000, output: 2000 } }),
      },
    });
    ({ agentd, browser } = stack);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function openConsole(section: string, viewport?: { width: number; height: number }) {
    const opened = await openPage(browser, viewport);
    await signIn(opened.page, agentd.server.url, agentd.server.adminKey);
    await opened.page.goto(`${agentd.server.url}/console/${section}`);
    return opened;
  }

  const rowsOf = (page: Page, table: string) => page.getByRole('region', { name: table }).locator('tbody tr');

  it('creates a policy: the mistake shown at its line and column, then fixed; edited into a version 2', async () => {
    const { context, page, cspViolations } = await openConsole('policies');
    await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Create a policy' });
    await form.getByLabel('Name', { exact: true }).fill('no-wire-money');
    const text = form.getByLabel('Policy (Cedar)');
    // The action line lacks its comma: the server names line 4.
    await text.fill(
      'forbid (\n  principal,\n  action == Agentd::Action::"call_tool"\n  resource == Agentd::Tool::"wire_money"\n);',
    );
    await form.getByRole('button', { name: 'Validate' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/line 4, column \d+/);
    expect(await form.locator('.gutter .bad-line').textContent()).toBe('4');
    expect(await text.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the policy editor with an error');
    await screenshot(page, 'console-policy-error-desktop');
    // The button puts the caret on the line the server named.
    await alert.getByRole('button', { name: /Go to line 4/ }).click();
    const caretLine = await text.evaluate((area: HTMLTextAreaElement) => {
      return area.value.slice(0, area.selectionStart).split('\n').length;
    });
    expect(caretLine).toBe(4);
    await text.fill(
      'forbid (\n  principal,\n  action == Agentd::Action::"call_tool",\n  resource == Agentd::Tool::"wire_money"\n);',
    );
    await form.getByRole('button', { name: 'Validate' }).click();
    await form.getByText('Valid: forbid, for call_tool.').waitFor();
    await form.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('link', { name: 'no-wire-money' }).waitFor();
    const stored = await agentd.api.get('/v1/policies');
    expect(stored.body.data).toMatchObject([{ name: 'no-wire-money', effect: 'forbid', version: 1 }]);

    // Opened for editing: a save is version 2, and both versions are listed.
    const edit = page.getByRole('form', { name: 'Edit the policy no-wire-money' });
    await edit
      .getByLabel('Policy (Cedar)')
      .fill(
        'forbid (\n  principal,\n  action == Agentd::Action::"call_tool",\n  resource == Agentd::Tool::"wire_funds"\n);',
      );
    await edit.getByRole('button', { name: 'Save as a new version' }).click();
    // The editor now holds version 2; the versions list both.
    await page.getByRole('heading', { name: 'Edit “no-wire-money” (version 2)' }).waitFor();
    const versions = page.getByRole('region', { name: 'Versions of no-wire-money' });
    await versions.locator('summary').filter({ hasText: 'Version 2' }).waitFor();
    expect(await versions.locator('summary').allTextContents()).toEqual([
      expect.stringMatching(/^Version 2 · forbid · .*\(current\)$/),
      expect.stringMatching(/^Version 1 · forbid · /),
    ]);
    // The diff of version 1 to 2: the one resource line changed.
    await versions.getByRole('status').filter({ hasText: '2 lines changed.' }).waitFor();
    expect(await versions.locator('.diff .removed').allTextContents()).toEqual([
      'removed:   resource == Agentd::Tool::"wire_money"',
    ]);
    expect(await versions.locator('.diff .added').allTextContents()).toEqual([
      'added:   resource == Agentd::Tool::"wire_funds"',
    ]);
    await expectAccessible(page, 'the policies page');
    await screenshot(page, 'console-policies-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-policies-phone');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('shows the limits in force and what is spent against the budget', async () => {
    const { context, page } = await openConsole('limits');
    const budgets = page.getByRole('region', { name: 'Budgets' });
    await budgets.getByRole('row', { name: /the tenant/ }).waitFor();
    expect(await budgets.getByRole('row', { name: /the tenant/ }).textContent()).toContain('$50.00');
    expect(
      await page
        .getByRole('region', { name: 'Rate limits' })
        .getByRole('row', { name: /each user/ })
        .textContent(),
    ).toContain('600 per 60 s');
    await expectAccessible(page, 'the limits page');
    await screenshot(page, 'console-limits-desktop');

    // A platform admin sets them: a mistake named by the server, then saved and in force.
    expect((await agentd.api.get('/v1/me')).body.role).toBe('platform_admin');
    const editor = page.getByRole('form', { name: "Edit the tenant's limits" });
    const tenantBudget = editor.getByRole('group', { name: 'Budget: the tenant' });
    expect(await tenantBudget.getByLabel('Cost (USD)').getAttribute('placeholder')).toBe('default 50');
    await tenantBudget.getByLabel('Cost (USD)').fill('75');
    const runBudget = editor.getByRole('group', { name: 'Budget: each run' });
    await runBudget.getByLabel('Tokens').fill('500000');
    const keyRate = editor.getByRole('group', { name: 'Rate limit: each api key' });
    await keyRate.getByLabel('Requests').fill('0');
    await keyRate.getByLabel('Per seconds').fill('60');
    await editor.getByRole('button', { name: 'Save limits' }).click();
    await eventually(() => editor.getByRole('alert').textContent()).toContain('requests');
    await keyRate.getByLabel('Requests').fill('');
    await keyRate.getByLabel('Per seconds').fill('');
    await editor.getByRole('button', { name: 'Save limits' }).click();
    await editor.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await eventually(() => budgets.getByRole('row', { name: /the tenant/ }).textContent()).toMatch(
      /\$75\.00.*tenant$/,
    );
    expect(await budgets.getByRole('row', { name: /each run/ }).textContent()).toContain('500,000');
    const stored = await agentd.api.get('/v1/limits');
    expect(stored.body.tenant.budgets).toEqual({ tenant: { cost_usd: 75 }, run: { tokens: 500000 } });
    expect(stored.body.tenant.rate_limits).toBeUndefined();
    await expectAccessible(page, 'the limits page after a save');
    await screenshot(page, 'console-limits-edit-desktop');
    await context.close();
  });

  it('charts usage and cost by agent, user and model', async () => {
    for (const name of ['researcher', 'support'])
      await agentd.api.post('/v1/agents', { name, instructions: 'Help.' });
    const runs = [
      { agent: 'researcher', user: 'alice', tokens: [400, 100] },
      { agent: 'researcher', user: 'bob', tokens: [300, 100] },
      { agent: 'support', user: 'alice', tokens: [100, 50] },
    ];
    for (const run of runs) {
      agentd.fake.enqueue({
        text: 'Done.',
        usage: { prompt_tokens: run.tokens[0]!, completion_tokens: run.tokens[1]! },
      });
      const answer = await agentd.api.post('/v1/responses', {
        agent: run.agent,
        user: run.user,
        input: 'Go.',
      });
      expect(answer.body.status).toBe('completed');
    }
    const { context, page, cspViolations } = await openConsole('usage');
    const byAgent = page.getByRole('table', { name: 'Cost by agent' });
    await byAgent.getByRole('row', { name: /researcher/ }).waitFor();
    // researcher: 700 input at $1000/M and 200 output at $2000/M = $1.10; support: $0.20.
    expect(await byAgent.getByRole('row').allTextContents()).toEqual(['researcher$1.10', 'support$0.20']);
    const byUser = page.getByRole('table', { name: 'Cost by user' });
    expect(await byUser.getByRole('row').allTextContents()).toEqual(['alice$0.80', 'bob$0.50']);
    const byModel = page.getByRole('table', { name: 'Cost by model' });
    expect(await byModel.getByRole('row').allTextContents()).toEqual(['fake-model$1.30']);
    expect(await page.getByRole('img', { name: /Cost by day: .* highest \$1\.30 on / }).count()).toBe(1);
    await expectAccessible(page, 'the usage page');
    await screenshot(page, 'console-usage-desktop');
    await page.getByLabel('Show').selectOption('total_tokens');
    await page
      .getByRole('table', { name: 'Tokens by agent' })
      .getByRole('row', { name: 'researcher 900' })
      .waitFor();
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-usage-phone');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('filters the audit log by event type, actor and date, pages it and verifies the chain', async () => {
    const ops = await agentd.api.post('/v1/api_keys', { name: 'ops', role: 'admin' });
    const opsAgent = await agentd.api.withKey(ops.body.value).post('/v1/agents', { name: 'ops-agent' });
    for (let index = 0; index < 21; index++) await agentd.api.post('/v1/agents', { name: `bulk-${index}` });
    const { context, page, cspViolations } = await openConsole('audit');
    const filters = page.getByRole('form', { name: 'Filter the audit log' });
    await rowsOf(page, 'Audit events').first().waitFor();

    await filters.getByLabel('Event type').fill('agent.created');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    // 21 bulk agents, ops-agent, and the usage test's two: 24, 20 a page.
    const typesShown = async () =>
      new Set(await rowsOf(page, 'Audit events').locator('td:nth-child(2)').allTextContents());
    await eventually(typesShown).toEqual(new Set(['agent.created']));
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(20);
    await page.getByRole('button', { name: 'Older' }).click();
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(4);
    await page.getByText('Page 2').waitFor();
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(20);

    await filters.getByLabel('Actor (key or user id)').fill(ops.body.id);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(1);
    const row = rowsOf(page, 'Audit events').first();
    expect(await row.textContent()).toContain(`API key ${ops.body.id} (admin)`);
    expect(await row.textContent()).toContain(`agent ${opsAgent.body.id}`);
    await expectAccessible(page, 'the audit log, filtered');
    await screenshot(page, 'console-audit-desktop');

    // Clicking an actor or a resource in a row filters by it, and the field shows it.
    await filters.getByRole('button', { name: 'Clear' }).click();
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(20);
    const adminKeyId = (await agentd.api.get('/v1/me')).body.subject;
    const newest = await agentd.api.get('/v1/agents?limit=1&order=desc');
    const bulk20 = newest.body.data[0];
    expect(bulk20.name).toBe('bulk-20');
    const first = rowsOf(page, 'Audit events').first();
    await first
      .getByRole('button', { name: new RegExp(`API key ${adminKeyId}.*show only this actor`) })
      .click();
    await eventually(() => filters.getByLabel('Actor (key or user id)').inputValue()).toBe(adminKeyId);
    await eventually(async () => {
      const actors = await rowsOf(page, 'Audit events').locator('td:nth-child(3)').allTextContents();
      return actors.length > 0 && actors.every((text) => text.includes(adminKeyId));
    }).toBe(true);
    await rowsOf(page, 'Audit events')
      .filter({ hasText: bulk20.id })
      .first()
      .getByRole('button', { name: new RegExp(`${bulk20.id}.*show only this resource`) })
      .click();
    await eventually(() => filters.getByLabel('Resource id').inputValue()).toBe(bulk20.id);
    await eventually(() => rowsOf(page, 'Audit events').count()).toBe(1);
    expect(await rowsOf(page, 'Audit events').first().textContent()).toContain('agent.created');
    await expectAccessible(page, 'the audit log, narrowed by a click');

    // A day range that ends before today matches nothing.
    await filters.getByLabel('To', { exact: true }).fill('2020-01-01');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No events match.').waitFor();

    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await eventually(() => page.getByTestId('audit-verification').textContent()).toMatch(
      /^Chain intact: \d+ events verified; head #\d+, hash [0-9a-f]{12}…$/,
    );
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-audit-phone');
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
