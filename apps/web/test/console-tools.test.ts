import { fileURLToPath } from 'node:url';
import type { AgentdWithFakeModel } from '@agentd/test-server';
import { startToolServer, type ToolServer } from '@agentd/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, openPage, PHONE, screenshot, signIn } from './support/browser.js';
import { startWebStack, type WebStack } from './support/web-stack.js';

/** expect.poll with room for a loaded machine (its default gives up after a second). */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 30_000 });

// The example tool directory: an MCP server over stdio ("weather") with made-up data.
const TOOL_DIR = fileURLToPath(new URL('../../../examples/tools', import.meta.url));

// The console's tools and vector stores pages, and the console by keyboard alone, in Debian's Chromium.
describe('the web console: tools, vector stores, keyboard', () => {
  let agentd: AgentdWithFakeModel;
  let upstream: ToolServer;
  let browser: Browser;
  let stack: WebStack;

  beforeAll(async () => {
    upstream = await startToolServer({
      city_weather: (body: { city: string }) => ({ city: body.city, sky: 'clear' }),
    });
    stack = await startWebStack({ env: { AGENTD_TOOL_DIR: TOOL_DIR } });
    ({ agentd, browser } = stack);
  });
  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  async function openConsole(section: string) {
    const opened = await openPage(browser);
    await signIn(opened.page, agentd.server.url, agentd.server.adminKey);
    await opened.page.goto(`${agentd.server.url}/console/${section}`);
    return opened;
  }

  const manifest = (adapter: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        name: 'city_weather',
        description: 'Sky over a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        adapter,
        ...extra,
      },
      null,
      2,
    );

  it('lists MCP servers with their tools, health and circuit; registers a tool validated first', async () => {
    const { context, page, cspViolations } = await openConsole('tools');
    const server = page.getByRole('region', { name: 'MCP server weather' });
    await server.getByText('healthy').waitFor();
    expect(await server.getByRole('listitem').first().textContent()).toMatch(/^weather circuit closed /);
    const tools = page.getByRole('region', { name: 'Tools' });
    expect(await tools.getByRole('row', { name: /^weather / }).textContent()).toContain('mcp (stdio)');

    const form = page.getByRole('form', { name: 'Register a tool' });
    const text = form.getByLabel('Manifest (JSON)');
    const problems = form.getByRole('alert');
    // Not JSON: the place of the mistake.
    await text.fill('{\n  "name": "city_weather",\n  "adapter": {]\n}');
    await form.getByRole('button', { name: 'Validate' }).click();
    expect(await problems.textContent()).toMatch(/line 3, column \d+ ?is not valid JSON/);
    // JSON, but the http adapter lacks its url: the field and the rule, from the served schema.
    await text.fill(manifest({ type: 'http' }));
    await form.getByRole('button', { name: 'Validate' }).click();
    expect(await problems.textContent()).toContain('adapter needs the field "url"');
    await expectAccessible(page, 'the tools page with manifest problems');
    await screenshot(page, 'console-tool-invalid-desktop');
    // What only the server checks comes back from Register the same way.
    await text.fill(manifest({ type: 'http', url: `${upstream.url}/city_weather` }, { retries: 2 }));
    await form.getByRole('button', { name: 'Register' }).click();
    expect(await problems.textContent()).toContain('retries');
    expect(await problems.textContent()).toContain('idempotent');

    await text.fill(manifest({ type: 'http', url: `${upstream.url}/city_weather` }));
    await form.getByRole('button', { name: 'Validate' }).click();
    await form.getByText('Valid: the manifest matches the schema.').waitFor();
    await form.getByRole('button', { name: 'Register' }).click();
    await form.getByText('Registered “city_weather”: city_weather.').waitFor();
    const row = tools.getByRole('row', { name: /^city_weather / });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/registered.*http.*healthy.*closed/);
    const listed = await agentd.api.get('/v1/tools?limit=100');
    expect(listed.body.data.map((tool: { name: string }) => tool.name)).toContain('city_weather');
    await expectAccessible(page, 'the tools page');
    await screenshot(page, 'console-tools-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-tools-phone');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Remove city_weather' }).click();
    await row.waitFor({ state: 'detached' });
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('creates a vector store, uploads a file that gets indexed, removes it and deletes the store', async () => {
    const { context, page, cspViolations } = await openConsole('stores');
    const create = page.getByRole('form', { name: 'Create a vector store' });
    await create.getByLabel('New store’s name').fill('handbook');
    await create.getByRole('button', { name: 'Create vector store' }).click();
    const files = page.getByRole('region', { name: 'Files of handbook' });
    await files.getByText('No files in this store yet.').waitFor();
    await files.getByLabel('Upload files', { exact: true }).setInputFiles({
      name: 'leave.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Leave\n\nEveryone gets 30 days of paid leave a year.\n'),
    });
    await files.getByRole('button', { name: 'Upload and index' }).click();
    const fileRow = files.getByRole('row', { name: /leave\.md/ });
    await eventually(() => fileRow.textContent()).toContain('completed');
    const stores = page.getByRole('region', { name: 'Vector stores' });
    await eventually(() => stores.getByRole('row', { name: /handbook/ }).textContent()).toContain(
      '1 of 1 indexed',
    );
    expect(
      await page
        .getByRole('region', { name: 'Files', exact: true })
        .getByRole('row', { name: /leave\.md/ })
        .textContent(),
    ).toContain('assistants');
    await expectAccessible(page, 'the vector stores page');
    await screenshot(page, 'console-stores-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-stores-phone');

    await files.getByRole('button', { name: 'Remove leave.md from the store' }).click();
    await files.getByText('No files in this store yet.').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await stores.getByRole('button', { name: 'Delete handbook' }).click();
    await stores.getByText('No vector stores yet.').waitFor();
    const left = await agentd.api.get('/v1/vector_stores');
    expect(left.body.data).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  /** Tab until `done` holds for the focused element, checking that each focused element shows its focus. */
  async function tabTo(
    page: Page,
    done: (element: { text: string; label: string | null; tag: string }) => boolean,
  ) {
    const seen: string[] = [];
    for (let step = 0; step < 60; step++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement;
        const style = getComputedStyle(element);
        const ring = getComputedStyle(element.closest('.editor') ?? element);
        return {
          text: (element.textContent ?? '').trim(),
          label:
            element.getAttribute('aria-label') ??
            (element as HTMLInputElement).labels?.[0]?.textContent ??
            null,
          tag: element.tagName,
          // The focus ring: the outline on the element, or on the editor around a policy's text.
          visible: style.outlineStyle !== 'none' || ring.outlineStyle !== 'none',
        };
      });
      seen.push(`${focused.tag} ${focused.label ?? focused.text.slice(0, 30)}`);
      expect(focused.visible, `focus shows on ${focused.tag} “${focused.text || focused.label}”`).toBe(true);
      if (done(focused)) return;
    }
    throw new Error(`the element was not reached by Tab; focus went to ${seen.join(', ')}`);
  }

  it('works by keyboard alone, with visible focus', async () => {
    await agentd.api.post('/v1/agents', { name: 'keyboard-agent' });
    const { context, page } = await openConsole('tools');
    await page.getByRole('heading', { name: 'Tools', level: 1 }).waitFor();
    await tabTo(page, (element) => element.tag === 'A' && element.text === 'Audit log');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await tabTo(page, (element) => element.label === 'Event type');
    await page.keyboard.type('agent.created');
    await page.keyboard.press('Enter');
    const rows = page.getByRole('region', { name: 'Audit events' }).locator('tbody tr');
    await eventually(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('agent.created');
    await tabTo(page, (element) => element.text === 'Verify the chain');
    await page.keyboard.press('Enter');
    await eventually(() => page.getByTestId('audit-verification').textContent()).toMatch(/^Chain intact/);
    await screenshot(page, 'console-keyboard-desktop');
    await context.close();
  });
});
