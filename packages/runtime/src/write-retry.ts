/**
 * Which database failures are worth retrying: the connection or the server
 * went away, or it shed load. An encoding error, a constraint or a bad
 * statement fails the same way every time.
 */
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '57'];
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN']);

export function isTransientStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return /Connection terminated|connection timeout/i.test(String(error));
  if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
  return code.length === 5 && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2));
}

/**
 * Pauses between attempts at one write, doubling from 50 ms, that add up to
 * `budgetMs` (AGENTD_STORAGE_RETRY_MS): how long a database may be away before
 * the runs that write to it stop.
 */
export function retryDelays(budgetMs: number): number[] {
  const delays: number[] = [];
  let left = budgetMs;
  for (let delay = 50; left > 0; delay *= 2) {
    delays.push(Math.min(delay, left));
    left -= delay;
  }
  return delays;
}

export const WRITE_RETRY_DELAYS_MS = retryDelays(5_000);

/**
 * Runs `write`, retrying a transient failure after each delay; any other
 * failure, or the last transient one, is thrown.
 */
export async function withWriteRetries<T>(
  write: () => Promise<T>,
  delaysMs: readonly number[] = WRITE_RETRY_DELAYS_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const delay = delaysMs[attempt];
      if (delay === undefined || !isTransientStorageError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
