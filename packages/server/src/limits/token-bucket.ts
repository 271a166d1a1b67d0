import type { LimitDecision } from './limit-decision.js';

/** A bucket's state: its tokens (fractional) when last seen, and when. */
export interface BucketState {
  tokens: number;
  atMs: number;
}

/** A rate as a bucket: `limit` tokens at most, refilled evenly over `perSeconds`. */
export interface BucketRate {
  limit: number;
  perSeconds: number;
}

/**
 * Takes `points` tokens from a bucket that refills `limit` tokens every
 * `perSeconds`, evenly (a token every perSeconds/limit), up to `limit`. A
 * new bucket is full. Unlike a fixed window, no more than `limit` requests
 * pass in any span of `perSeconds` plus the refill within it: there is no
 * window edge to burst across. Returns the new state and the decision.
 */
export function takeTokens(
  state: BucketState | undefined,
  rate: BucketRate,
  points: number,
  nowMs: number,
): { state: BucketState; decision: LimitDecision } {
  const perTokenMs = (rate.perSeconds * 1000) / rate.limit;
  const elapsed = state ? Math.max(0, nowMs - state.atMs) : 0;
  const before = state ? Math.min(rate.limit, state.tokens + elapsed / perTokenMs) : rate.limit;
  const allowed = before >= points;
  const tokens = allowed ? before - points : before;
  return { state: { tokens, atMs: nowMs }, decision: decisionOf(rate, tokens, allowed, points) };
}

/** What a bucket holding `tokens` after a take answers. */
export function decisionOf(
  rate: BucketRate,
  tokens: number,
  allowed: boolean,
  points: number,
): LimitDecision {
  const perTokenMs = (rate.perSeconds * 1000) / rate.limit;
  return {
    allowed,
    limit: rate.limit,
    remaining: Math.max(0, Math.floor(tokens + 1e-9)),
    // OpenAI's reset header: until the bucket is full again.
    resetMs: Math.ceil((rate.limit - tokens) * perTokenMs),
    // Until `points` tokens are back (a refusal's Retry-After); points above the limit never fit.
    retryAfterMs: allowed
      ? 0
      : points > rate.limit
        ? rate.perSeconds * 1000
        : Math.max(1, Math.ceil((points - tokens) * perTokenMs)),
  };
}

/** Buckets kept before full ones are swept out (a full bucket is the same as none). */
const SWEEP_AT = 10_000;

/** Token buckets in this process's memory. */
export class MemoryTokenBuckets {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, rate: BucketRate, points = 1): LimitDecision {
    const nowMs = this.now();
    const id = `${rate.limit}:${rate.perSeconds}:${key}`;
    const { state, decision } = takeTokens(this.buckets.get(id), rate, points, nowMs);
    this.buckets.set(id, state);
    if (this.buckets.size > SWEEP_AT) this.sweep(nowMs);
    return decision;
  }

  private sweep(nowMs: number): void {
    for (const [id, state] of this.buckets) {
      const [limit, perSeconds] = id.split(':').map(Number) as [number, number];
      if (takeTokens(state, { limit, perSeconds }, 0, nowMs).state.tokens >= limit) this.buckets.delete(id);
    }
  }
}
