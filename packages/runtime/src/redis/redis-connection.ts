import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection for live traffic (run events, cancels): it fails fast
 * instead of queueing while Redis is away (no offline queue, no retry of a
 * command, a command timeout), and reconnects for ever in the background.
 * Subscriptions are not restored by ioredis: their owner re-subscribes on
 * `ready`, where it also catches up on what it missed.
 */
export function createRedisConnection(url: string, name: string, logger?: Logger): Redis {
  // Loaded at the first connection: embedded mode, which has none, does not pay for the module.
  const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const redis = new RedisClient(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  });
  let lost = false;
  // Without a listener ioredis prints every failed reconnect attempt to the console.
  redis.on('error', (error: Error) =>
    logger?.debug({ err: error, connection: name }, 'redis connection error'),
  );
  redis.on('close', () => {
    if (lost || redis.status === 'end') return;
    lost = true;
    logger?.warn({ connection: name }, 'redis connection lost; reconnecting');
  });
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    logger?.info({ connection: name }, 'redis connection restored');
  });
  return redis;
}

/** Resolves once `redis` is ready; rejects after `timeoutMs`, naming the server (without its password). */
export function untilReady(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis at ${redactedUrl(url)} is not reachable (waited ${timeoutMs} ms)`));
    }, timeoutMs);
    redis.once('ready', onReady);
  });
}

/** Closes `redis` for good, without waiting for the server (which may be away). */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  // A connection waiting to reconnect has no socket left to close, so it never emits 'end'.
  const open = redis.status !== 'end' && redis.status !== 'reconnecting' && redis.status !== 'close';
  const ended = open ? new Promise<void>((resolve) => redis.once('end', () => resolve())) : undefined;
  redis.disconnect();
  await ended;
}

export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}
