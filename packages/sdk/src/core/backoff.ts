import { parseRetryAfter, backoffDelay as specBackoffDelay } from '@agentd/spec';

export { sleep } from '@agentd/spec';

/** How requests are retried: exponential backoff with jitter, capped. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** The first delay before jitter (default 500 ms); it doubles each retry. */
  initialDelayMs?: number;
  /** The longest delay, also the cap on a Retry-After the server asks for (default 8 s). */
  maxDelayMs?: number;
}

export const RETRY_DEFAULTS: Required<RetryOptions> = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8000,
};

/** Statuses worth another try: the server was busy, restarting or behind a proxy that was. */
export const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * The delay before retry `attempt` (0 for the first retry): "equal jitter",
 * between half and all of `initial * 2^attempt` (capped), so clients that
 * failed together do not come back together. A Retry-After wins when given
 * (capped at the longest delay). spec's backoffDelay, which the model
 * providers use too.
 */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  retryAfter: string | null = null,
  random: () => number = Math.random,
): number {
  return specBackoffDelay(
    attempt,
    { initialDelayMs: options.initialDelayMs, maxDelayMs: options.maxDelayMs, jitter: 'equal', random },
    parseRetryAfter(retryAfter),
  );
}
