import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/** The Redis server the tests use. */
export const TEST_REDIS_URL = process.env.AGENTD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key and channel prefix of its own, so tests sharing one Redis never see each other's data. */
export function testRedisPrefix(label = 'test'): string {
  return `agentd-test:${label}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Whether a Redis server answers at `url` (any reply counts, even one asking for a password). */
export function pingRedis(url: string, timeoutMs = 1_000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

/**
 * Fails (never skips) when the test Redis is not running: tests of scaled
 * mode must not pass without the server they are about.
 */
export async function requireTestRedis(url = TEST_REDIS_URL): Promise<string> {
  if (await pingRedis(url)) return url;
  throw new Error(
    `The Redis test server at ${url} is not reachable. Start it (redis-server --port 6379) or set AGENTD_TEST_REDIS_URL.`,
  );
}
