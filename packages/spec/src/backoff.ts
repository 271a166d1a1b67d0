/**
 * Retries' waits, the one implementation the SDK (requests to agentd) and
 * the model providers (requests to a model's API) share: exponential backoff
 * with jitter, capped, unless the server said how long to wait.
 */
export interface BackoffOptions {
  /** The first retry's ceiling; it doubles each retry. */
  initialDelayMs: number;
  /** The highest ceiling. */
  maxDelayMs: number;
  /**
   * `full`: a uniform wait in [0, ceiling) (the most spread out); `equal`:
   * in [ceiling / 2, ceiling] (never retries at once).
   */
  jitter: 'full' | 'equal';
  /** The longest wait a server's Retry-After may impose (default: maxDelayMs). */
  maxRetryAfterMs?: number;
  random?: () => number;
}

/** The wait before retry `attempt` (0 for the first retry), in whole milliseconds. */
export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined)
    return Math.min(retryAfterMs, options.maxRetryAfterMs ?? options.maxDelayMs);
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** attempt);
  const random = (options.random ?? Math.random)();
  return Math.floor(options.jitter === 'full' ? random * ceiling : ceiling / 2 + (random * ceiling) / 2);
}

/** A `Retry-After` value in milliseconds: seconds, or an HTTP date (from `now`); undefined if neither. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long a response asks to wait: `retry-after-ms` (OpenAI's), else `Retry-After`. */
export function retryAfterOf(
  headers: { get(name: string): string | null },
  now: number = Date.now(),
): number | undefined {
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
