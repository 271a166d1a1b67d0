import type { Page } from 'playwright-core';
import type { BrowserLimits } from './browser-limits.js';
import { withDeadline } from './deadline.js';
import { isClosedError } from './navigation-failure.js';
import type { RouteGuard } from './route-guard.js';

export type SettledBy = 'quiet' | 'timeout';

/**
 * Resolves true once the document is parsed and nothing in it changed for
 * `quietMs`, false when `boundMs` pass first. Plain JavaScript, run in the page.
 */
const DOM_QUIET = `(quietMs, boundMs) => new Promise((resolve) => {
  const start = performance.now();
  let last = start;
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const tick = () => {
    const now = performance.now();
    const done = document.readyState !== 'loading' && now - last >= quietMs;
    if (done || now - start >= boundMs) { observer.disconnect(); resolve(done); }
    else setTimeout(tick, 25);
  };
  setTimeout(tick, 25);
})`;

/**
 * After DOMContentLoaded: waits until no request that can change the text
 * (a script, XHR or fetch, a frame) is in flight and the DOM has not changed
 * for `quietMs`, at most `settleTimeoutMs`. Images, styles and fonts are not
 * waited for (a screenshot waits for them), and blocked or unanswered
 * resources cost at most the bound, not the `load` event's wait. With
 * `settle: 'load'` (the behaviour before), waits for the load event, then
 * for every request to be done.
 */
export async function settlePage(
  page: Page,
  guard: RouteGuard,
  limits: BrowserLimits,
  remaining: () => number,
): Promise<SettledBy> {
  if (limits.settle === 'load') {
    const loaded = await page
      .waitForLoadState('load', { timeout: Math.min(remaining(), limits.settleTimeoutMs) })
      .then(() => true)
      .catch(() => false);
    const quiet = await guard.waitForQuiet(limits.quietMs, Math.min(remaining(), 2000));
    return loaded && quiet ? 'quiet' : 'timeout';
  }
  const deadline = Date.now() + Math.min(remaining(), limits.settleTimeoutMs);
  const [network, dom] = await Promise.all([
    guard.waitForQuiet(limits.quietMs, deadline - Date.now(), true),
    domQuiet(page, limits.quietMs, deadline),
  ]);
  return network && dom ? 'quiet' : 'timeout';
}

async function domQuiet(page: Page, quietMs: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    const left = deadline - Date.now();
    try {
      // The page's own timers could be stopped by a script that never yields; the deadline is ours.
      return await withDeadline(
        page.evaluate(`(${DOM_QUIET})(${quietMs}, ${left})`) as Promise<boolean>,
        left + 250,
      );
    } catch (error) {
      if (isClosedError(error)) throw error;
      // A script or meta refresh navigated: settle the document it lands on.
      await page
        .waitForLoadState('domcontentloaded', { timeout: Math.max(1, deadline - Date.now()) })
        .catch(() => {});
    }
  }
  return false;
}
