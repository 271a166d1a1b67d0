import type { Logger } from 'pino';
import type { ResponseRepository } from './response-repository.js';

/**
 * `store: false`: the response is kept only while it runs and is delivered,
 * then deleted with its events, so a later GET is a 404. It waits for the
 * run to end and for its stream, if any, to end (or its client to go).
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

/** The same streamed response, and a promise that settles when its body has been read to the end or dropped. */
export function whenStreamEnds(response: Response): { response: Response; ended: Promise<void> } {
  const body = response.body;
  if (!body) return { response, ended: Promise.resolve() };
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          end();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        end();
      }
    },
    async cancel(reason) {
      end();
      await reader.cancel(reason);
    },
  });
  return { response: new Response(watched, response), ended };
}
