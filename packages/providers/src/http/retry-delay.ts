import { backoffDelay, retryAfterOf } from '@agentd/spec';

export { sleep } from '@agentd/spec';

/** The longest wait a `Retry-After` header can impose. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** HTTP statuses worth sending the same request again for. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 529]);

export interface RetryDelayOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** What the server asked for; wins over the backoff, capped at a minute. */
  retryAfterMs?: number;
  random?: () => number;
}

/** Exponential backoff with full jitter (spec's backoffDelay): a uniform wait in [0, min(max, base * 2^attempt)). */
export function retryDelayMs(attempt: number, options: RetryDelayOptions): number {
  return backoffDelay(
    attempt,
    {
      initialDelayMs: options.baseDelayMs,
      maxDelayMs: options.maxDelayMs,
      jitter: 'full',
      maxRetryAfterMs: MAX_RETRY_AFTER_MS,
      ...(options.random ? { random: options.random } : {}),
    },
    options.retryAfterMs,
  );
}

/** Reads `retry-after-ms` (OpenAI) or `Retry-After` in seconds or as an HTTP date. */
export function parseRetryAfter(headers: Pick<Headers, 'get'>, now: number = Date.now()): number | undefined {
  return retryAfterOf(headers, now);
}
