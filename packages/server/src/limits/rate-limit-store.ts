import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/** What one counted request or call is told: let through or not, and where its window stands. */
export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Until the window resets (and a refused request may be retried). */
  resetMs: number;
}

/**
 * Counters with a limit per window, keyed by what they limit (a tenant, a
 * key, a user, a tool). In memory in embedded mode; in Redis in scaled mode,
 * so that every process counts against one limit.
 */
export interface RateLimitStore {
  /** Counts `points` against `key` in a window of `windowSeconds` holding at most `limit`. */
  consume(key: string, limit: number, windowSeconds: number, points?: number): Promise<LimitDecision>;
  close(): Promise<void>;
}

type LimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

/** rate-limiter-flexible's fixed windows, one limiter per (limit, window) pair. */
class FlexibleRateLimitStore implements RateLimitStore {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly prefix: string,
    private readonly create: LimiterFactory,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

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
      return { allowed: true, limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      return { allowed: false, limit, remaining: 0, resetMs: Math.max(1, error.msBeforeNext) };
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** Counters in this process (embedded mode). */
export function memoryRateLimitStore(): RateLimitStore {
  return new FlexibleRateLimitStore('', (options) => new RateLimiterMemory(options));
}

/**
 * Counters in Redis, under `prefix` (scaled mode). While Redis cannot be
 * reached each process counts on its own in memory (the insurance limiter),
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
    close,
  );
}
