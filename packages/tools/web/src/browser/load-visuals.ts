import type { Page } from 'playwright-core';
import type { BrowserLimits } from './browser-limits.js';
import { withDeadline } from './deadline.js';
import type { RouteGuard } from './route-guard.js';

/**
 * Asks the page for the images, styles and fonts it was read without, in
 * place: each stylesheet link and style element is put back (a new element
 * loads its sheet, its fonts and its background images), each image's
 * source is set again. Plain JavaScript, run in the page; the page's state
 * (scroll position, what its scripts built) is kept, unlike a reload.
 */
const RELOAD_VISUALS = `() => {
  for (const link of Array.from(document.querySelectorAll('link[rel~="stylesheet" i][href]'))) {
    link.replaceWith(link.cloneNode(true));
  }
  for (const style of Array.from(document.querySelectorAll('style'))) {
    style.replaceWith(style.cloneNode(true));
  }
  for (const element of Array.from(document.querySelectorAll('img, picture source, input[type="image" i]'))) {
    for (const name of ['srcset', 'src']) {
      const value = element.getAttribute(name);
      if (value !== null) element.setAttribute(name, value);
    }
  }
}`;

/**
 * Loads what a page was read without (the route guard now lets images,
 * styles and fonts through, each still checked against the network policy),
 * then waits for the network to go quiet, at most the settle bound.
 */
export async function loadVisuals(page: Page, guard: RouteGuard, limits: BrowserLimits): Promise<void> {
  const bound = limits.settleTimeoutMs;
  await withDeadline(page.evaluate(`(${RELOAD_VISUALS})()`), bound).catch(() => {});
  await guard.waitForQuiet(Math.min(limits.quietMs, 100), bound);
}
