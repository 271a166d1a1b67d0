import type { Logger } from 'pino';
import type { ResponseRepository } from './response-repository.js';

/**
 * `store: false`: the response is kept only while it runs and is delivered,
 * then deleted with its events, so a later GET is a 404. It waits for the
 * run to end and for its stream, if any, to end (or its client to go):
 * streamEvents's `onEnd`.
 */
export function forgetWhenDone(
  responses: ResponseRepository,
  logger: Logger,
  ids: { tenantId: string; id: string },
  ...pending: Promise<unknown>[]
): Promise<void> {
  return Promise.allSettled(pending)
    .then(() => responses.delete(ids.tenantId, ids.id))
    .catch((error) =>
      logger.warn({ err: error, response_id: ids.id }, 'could not delete an unstored response'),
    );
}
