import type { Redis } from 'ioredis';
import type { LimitDecision } from './limit-decision.js';
import { type BucketRate, decisionOf, type MemoryTokenBuckets } from './token-bucket.js';

/**
 * takeTokens (token-bucket.ts) in Redis, atomic: one script reads the
 * bucket, refills it by Redis's own clock (every process sees one time),
 * takes the points if they are there, writes it back and lets it expire
 * once it would be full again. Returns {1 or 0, tokens left as a string}.
 */
const TAKE = `
local limit = tonumber(ARGV[1])
local per_token_ms = tonumber(ARGV[2]) * 1000 / limit
local points = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
if tokens == nil then
  tokens = limit
else
  tokens = math.min(limit, tokens + math.max(0, now - tonumber(state[2])) / per_token_ms)
end
local allowed = 0
if tokens >= points then
  tokens = tokens - points
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((limit - tokens) * per_token_ms) + 1000)
return {allowed, tostring(tokens)}
`;

interface BucketRedis extends Redis {
  agentdTakeTokens(key: string, limit: number, perSeconds: number, points: number): Promise<[number, string]>;
}

/**
 * Token buckets in Redis, one count for every process. While Redis cannot
 * be reached (not connected, or a command fails) each process counts in its
 * own memory instead, so requests are still limited, per process.
 */
export class RedisTokenBuckets {
  private readonly redis: BucketRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly insurance: MemoryTokenBuckets,
  ) {
    if (!('agentdTakeTokens' in redis))
      redis.defineCommand('agentdTakeTokens', { numberOfKeys: 1, lua: TAKE });
    this.redis = redis as BucketRedis;
  }

  async take(key: string, rate: BucketRate, points = 1): Promise<LimitDecision> {
    if (this.redis.status !== 'ready') return this.insurance.take(key, rate, points);
    try {
      // The rate is in the key: a changed limit starts a full bucket instead of misreading old tokens.
      const [allowed, tokens] = await this.redis.agentdTakeTokens(
        `${this.prefix}tb:${rate.limit}:${rate.perSeconds}:${key}`,
        rate.limit,
        rate.perSeconds,
        points,
      );
      return decisionOf(rate, Number(tokens), allowed === 1, points);
    } catch {
      return this.insurance.take(key, rate, points);
    }
  }
}
