export class DeadlineExceeded extends Error {
  readonly ms: number;

  constructor(ms: number) {
    super(`did not finish within ${ms} ms`);
    this.ms = ms;
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Settles with `promise`, or rejects when `ms` pass (DeadlineExceeded) or
 * `signal` aborts (its reason), whichever comes first. The work itself is
 * not stopped: the caller cleans up after a deadline.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => finish(() => reject(signal?.reason));
    const timer = setTimeout(() => finish(() => reject(new DeadlineExceeded(ms))), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    promise.then(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
  });
}
