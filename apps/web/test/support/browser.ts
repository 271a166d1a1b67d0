import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The built UI, as the server serves it. */
export const WEB_DIST = fileURLToPath(new URL('../../dist', import.meta.url));
/** Screenshots each test keeps (gitignored): look at them. */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results', import.meta.url));
const CHROMIUM = process.env.AGENTD_CHROMIUM ?? '/usr/bin/chromium';

/** Builds the UI unless the last build came from the same sources (scripts/build-web.mjs). */
export function ensureWebBuild(): void {
  const result = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the web UI failed:\n${result.stdout}\n${result.stderr}`);
}

/** Debian's Chromium, headless, driven by playwright-core (never a downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's chromium package (npm test does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-extensions',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * A fresh browser context (its own sessionStorage) and page on the UI. The
 * page's Content-Security-Policy stays on: any violation is collected, and
 * `cspViolations` must stay empty.
 */
export async function openPage(browser: Browser, viewport = DESKTOP) {
  const context: BrowserContext = await browser.newContext({ viewport });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, cspViolations, pageErrors };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and fails on any serious or critical violation.
 * Injected through the DevTools protocol (evaluate), which the page's CSP does
 * not govern, so the CSP stays as strict as users get it.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document);
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
      }));
  });
  expect(violations, `axe-core on ${what}`).toEqual([]);
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Keeps a screenshot of the page as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
}

/** Signs in with an API key through the form. */
export async function signIn(page: Page, url: string, key: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'New chat' }).waitFor();
}
