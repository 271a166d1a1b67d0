import type { Browser } from 'playwright-core';
import { chromiumArgs } from './chromium-flags.js';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export interface ChromiumLaunchOptions {
  executablePath: string;
  /** The blackhole proxy's port: Chromium's own network access goes there and dies. */
  proxyPort: number;
  extraArgs?: readonly string[];
  timeoutMs?: number;
}

let playwright: Promise<typeof import('playwright-core')> | undefined;

/**
 * playwright-core, loaded on first use (or by a pool's warm-up at a server's
 * start): it takes about a second to import, which a process that never opens
 * a page (workers, AGENTD_BROWSER=off, the CLI, tests) should not pay.
 */
export function loadPlaywright(): Promise<typeof import('playwright-core')> {
  // A failed import is not kept: the next call tries again.
  playwright ??= import('playwright-core').catch((error: unknown) => {
    playwright = undefined;
    throw error;
  });
  return playwright;
}

/**
 * Launches the system Chromium (never a downloaded one). Playwright gives
 * each launch a fresh temporary profile and removes it on close. All traffic
 * Chromium would send itself goes to the blackhole proxy, loopback included;
 * the host resolver answers nothing, so not even a DNS query leaves it.
 */
export async function launchChromium(options: ChromiumLaunchOptions): Promise<Browser> {
  const { chromium } = await loadPlaywright();
  return chromium.launch({
    executablePath: options.executablePath,
    headless: true,
    chromiumSandbox: false,
    timeout: options.timeoutMs ?? 30_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: chromiumArgs(options.proxyPort, options.extraArgs),
  });
}
