import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { LimitDecision } from './limit-decision.js';
import { RedisTokenBuckets } from './redis-token-bucket.js';
import { type BucketRate, MemoryTokenBuckets } from './token-bucket.js';

export type { LimitDecision } from './limit-decision.js';

/**
 * Rate limits and quotas, keyed by what they limit (a tenant, a key, a
 * user, a tool). In memory in embedded mode; in Redis in scaled mode, so
 * that every process counts against one limit.
 */
export interface RateLimitStore {
  /**
   * Rate limits: takes `points` from a token bucket holding at most
   * `rate.limit`, refilled evenly over `rate.perSeconds` (no burst across a
   * window edge).
   */
  take(key: string, rate: BucketRate, points?: number): Promise<LimitDecision>;
  /** Quotas: counts `points` against `key` in a fixed window of `windowSeconds` holding at most `limit`. */
  consume(key: string, limit: number, windowSeconds: number, points?: number): Promise<LimitDecision>;
  close(): Promise<void>;
}

type LimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

/** Token buckets (ours) for rate limits; rate-limiter-flexible's fixed windows, one limiter per (limit, window) pair, for quotas. */
class FlexibleRateLimitStore implements RateLimitStore {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly prefix: string,
    private readonly create: LimiterFactory,
    private readonly buckets: {
      take(key: string, rate: BucketRate, points?: number): LimitDecision | Promise<LimitDecision>;
    },
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async take(key: string, rate: BucketRate, points = 1): Promise<LimitDecision> {
    return this.buckets.take(key, rate, points);
  }

  async consume(key: string, limit: number, windowSeconds: number, points = 1): Promise<LimitDecision> {
    const id = `${limit}:${windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      // The pair is in the prefix: a changed limit starts counting afresh instead of misreading old counts.
      limiter = this.create({ keyPrefix: `${this.prefix}rl:${id}`, points: limit, duration: windowSeconds });
      this.limiters.set(id, limiter);
    }
    try {
      const res = await limiter.consume(key, points);
      return {
        allowed: true,
        limit,
        remaining: res.remainingPoints,
        resetMs: res.msBeforeNext,
        retryAfterMs: 0,
      };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const resetMs = Math.max(1, error.msBeforeNext);
      return { allowed: false, limit, remaining: 0, resetMs, retryAfterMs: resetMs };
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** Counters in this process (embedded mode); `now` is the buckets' clock. */
export function memoryRateLimitStore(now: () => number = Date.now): RateLimitStore {
  return new FlexibleRateLimitStore(
    '',
    (options) => new RateLimiterMemory(options),
    new MemoryTokenBuckets(now),
  );
}

/**
 * Counters in Redis, under `prefix` (scaled mode). While Redis cannot be
 * reached each process counts on its own in memory (the insurance limiter,
 * and in-memory buckets),
 * so requests are still limited, per process, rather than refused or let
 * through unlimited.
 */
export function redisRateLimitStore(
  redis: Redis,
  prefix: string,
  close: () => Promise<void>,
): RateLimitStore {
  return new FlexibleRateLimitStore(
    prefix,
    (options) =>
      new RateLimiterRedis({
        ...options,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: options.points, duration: options.duration }),
      }),
    new RedisTokenBuckets(redis, prefix, new MemoryTokenBuckets()),
    close,
  );
}
