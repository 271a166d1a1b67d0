import type { ResponseEvent, RunEventListener } from '@agentd/spec';
import type { Logger } from 'pino';

/** A listener's place in a run's events: the highest sequence number it was given. */
export interface Delivery {
  readonly listener: RunEventListener;
  last: number;
}

/**
 * Gives a listener the events it has not had yet (above `last`), in order,
 * and moves `last` on. A listener that throws is logged; the other listeners
 * and the publisher carry on.
 */
export function deliverFresh(
  delivery: Delivery,
  events: readonly ResponseEvent[],
  runId: string,
  logger: Logger | undefined,
): void {
  const fresh = events.filter((event) => event.sequence_number > delivery.last);
  const newest = fresh.at(-1);
  if (!newest) return;
  delivery.last = newest.sequence_number;
  try {
    delivery.listener(fresh);
  } catch (error) {
    logger?.error({ err: error, runId }, 'run event listener failed');
  }
}
