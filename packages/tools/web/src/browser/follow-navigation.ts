import type { Page, Response } from 'playwright-core';
import { WebToolError } from '../errors.js';
import type { BrowserLimits } from './browser-limits.js';
import { explainNavigationFailure } from './navigation-failure.js';
import type { OpenTimings } from './open-timings.js';
import type { RouteGuard } from './route-guard.js';
import { settlePage } from './settle-page.js';

const REDIRECTED: unique symbol = Symbol('redirected');

/** How a navigation ended: the main document's response, and how long the page took to settle. */
export interface Navigation {
  response: Response | null;
  settleMs: number;
  settledBy: OpenTimings['settledBy'];
}

/**
 * Runs one navigation (`go`) to its end: each server redirect the route guard
 * stops is checked and followed by a navigation of our own (at most
 * `limits.maxRedirects`), and the page is left to settle; a failure is
 * explained in terms of what the guard saw. Within the time `remaining` gives.
 */
export async function followNavigation(
  page: Page,
  guard: RouteGuard,
  limits: BrowserLimits,
  label: string,
  go: (timeout: number) => Promise<Response | null>,
  remaining: () => number,
): Promise<Navigation> {
  const goto = (url: URL) => (timeout: number) =>
    page.goto(url.href, { waitUntil: 'domcontentloaded', timeout });
  let step = go;
  let response: Response | null = null;
  let settleMs = 0;
  let settledBy: OpenTimings['settledBy'] = 'quiet';
  for (let hops = 0; ; hops++) {
    let failure: unknown;
    const navigation = step(remaining());
    navigation.catch(() => {});
    try {
      const first = await Promise.race([
        navigation,
        guard.redirected().then((): typeof REDIRECTED => REDIRECTED),
      ]);
      if (first !== REDIRECTED) response = first;
    } catch (error) {
      failure = error;
    }
    let redirect = guard.takeRedirect();
    if (!redirect && failure === undefined) {
      const settling = Date.now();
      settledBy = await settlePage(page, guard, limits, remaining);
      settleMs += Date.now() - settling;
      // A script or meta refresh navigated while the page settled, and met a server redirect.
      redirect = guard.takeRedirect();
    }
    if (redirect) {
      if (hops >= limits.maxRedirects) {
        throw new WebToolError(
          'too_many_redirects',
          `${label} redirected more than ${limits.maxRedirects} times.`,
        );
      }
      step = goto(redirect);
      continue;
    }
    if (failure !== undefined) throw explainNavigationFailure(failure, label, guard.records, limits);
    break;
  }
  return { response, settleMs, settledBy };
}
