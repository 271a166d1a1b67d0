import { findWebToolError, WebToolError } from '../errors.js';
import type { BrowserLimits } from './browser-limits.js';
import type { RequestRecord } from './route-guard.js';

const CLOSED =
  /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Target closed/i;

/** The browser, its context or the page went away under the call. */
export function isClosedError(error: unknown): boolean {
  return error instanceof Error && CLOSED.test(error.message);
}

/**
 * Why a navigation failed, in words the model can act on: what the route
 * guard refused or could not load is more telling than Chromium's net::ERR_*.
 */
export function explainNavigationFailure(
  error: unknown,
  label: string,
  records: readonly RequestRecord[],
  limits: BrowserLimits,
): unknown {
  const known = findWebToolError(error);
  if (known) return known;
  if (isClosedError(error)) return error;
  const main = records.filter((record) => record.mainFrame && record.outcome !== 'fulfilled').at(-1);
  if (main?.outcome === 'blocked') {
    return new WebToolError(
      'blocked_by_policy',
      `Blocked by the network policy: ${main.reason ?? main.url}.`,
    );
  }
  if (main?.outcome === 'download-blocked') {
    return new WebToolError('download_blocked', `${main.url} is ${main.reason ?? 'a download'}.`);
  }
  const timedOut =
    (error instanceof Error && error.name === 'TimeoutError') || main?.reason === 'timed out or cancelled';
  if (timedOut) {
    return new WebToolError(
      'timeout',
      `${label} did not load within ${Math.round(limits.loadTimeoutMs / 1000)} s.`,
    );
  }
  if (main?.outcome === 'failed') {
    return new WebToolError(
      'network_error',
      `Could not load ${main.url}: ${main.reason ?? 'the request failed'}.`,
    );
  }
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
  return new WebToolError('network_error', `Could not load ${label}: ${message}.`, { cause: error });
}
