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
 * failed together do not come back together. A Retry-After wins when given.
 */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  retryAfter: string | null = null,
  random: () => number = Math.random,
): number {
  const asked = parseRetryAfter(retryAfter);
  if (asked !== undefined) return Math.min(asked, options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits `ms`, or throws the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
