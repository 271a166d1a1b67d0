import type { Context } from 'hono';

/** A window as the x-ratelimit-* headers report it. */
export interface LimitWindow {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** A duration as OpenAI writes its reset headers: `20ms`, `1s`, `6m0s`, `1h2m3s`. */
export function formatReset(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const total = Math.ceil(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Sets OpenAI's x-ratelimit-{limit,remaining,reset}-{requests,tokens} headers for one window. */
export function setLimitHeaders(c: Context, unit: 'requests' | 'tokens', window: LimitWindow): void {
  c.header(`x-ratelimit-limit-${unit}`, String(window.limit));
  c.header(`x-ratelimit-remaining-${unit}`, String(window.remaining));
  c.header(`x-ratelimit-reset-${unit}`, formatReset(window.resetMs));
}

/** Retry-After, in whole seconds (at least 1). */
export function setRetryAfter(c: Context, ms: number): void {
  c.header('Retry-After', String(Math.max(1, Math.ceil(ms / 1000))));
}
