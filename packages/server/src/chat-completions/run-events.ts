import type { ResponseEvent } from '@agentd/spec';
import type { StoredResponse } from '../responses/response-repository.js';
import type { Services } from '../services.js';

const TERMINAL_EVENTS = new Set<string>([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);

export function isTerminalEvent(event: ResponseEvent): boolean {
  return TERMINAL_EVENTS.has(event.type);
}

/**
 * A run's events, every one in order up to and including the terminal one:
 * the persisted log first, then live events from the bus (subscribed before
 * the log is read, so nothing falls between). Ends early when `signal` aborts.
 */
export async function* runEvents(
  services: Services,
  stored: StoredResponse,
  signal: AbortSignal,
): AsyncGenerator<ResponseEvent> {
  const queue: ResponseEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = services.bus.subscribe(stored.id, (events) => {
    queue.push(...events);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  let last = 0;
  try {
    queue.unshift(...(await services.responses.events(stored.tenantId, stored.id, 0)));
    while (!signal.aborted) {
      const event = queue.shift();
      if (!event) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
        continue;
      }
      if (event.sequence_number <= last) continue;
      last = event.sequence_number;
      yield event;
      if (isTerminalEvent(event)) return;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
