import { Logger } from 'graphile-worker';
import type { QueueLogger } from './queue-logger.js';

/** graphile-worker's errors and warnings into the queue's logger; its info and debug chatter is dropped. */
export function graphileLogger(logger: QueueLogger): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const fields = { scope, ...(meta ?? {}) };
    if (level === 'error') logger.error(fields, `graphile-worker: ${message}`);
    else if (level === 'warning') logger.warn(fields, `graphile-worker: ${message}`);
  });
}
