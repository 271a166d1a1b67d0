export interface BackoffMs {
  initial: number;
  max: number;
}

/** Exponential backoff, capped: initial, 2×initial, 4×initial … up to max. Attempts count from 0. */
export function backoffDelay(attempt: number, backoff: BackoffMs): number {
  return Math.min(backoff.initial * 2 ** Math.min(attempt, 30), backoff.max);
}
