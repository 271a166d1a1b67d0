import { isTerminal } from '@agentd/core';
import type { ResponseEvent } from '@agentd/spec';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/app-env.js';
import { type EventView, viewEvent } from './event-view.js';
import { eventWithIncludes } from './response-includes.js';
import type { StoredResponse } from './response-repository.js';

const TERMINAL_EVENTS = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'response.cancelled',
]);

/**
 * Streams a response's events as SSE from `after` on: the persisted log
 * first, then live events, without a gap or a repeat (the bus subscription
 * is taken before the log is read). Each event's id is its sequence number.
 * `view` picks which events are sent (see event-view.ts); the ones left out
 * still advance the position, so a resume never replays them.
 * A client that goes away only ends its stream, never the run.
 */
export function streamEvents(
  c: Context<AppEnv>,
  stored: StoredResponse,
  after: number,
  view: EventView,
  /** The request's `include`: hosted items' results and outputs are cut unless named. Absent: all shown. */
  include?: readonly string[],
) {
  const { bus, responses, config } = c.get('services');
  const heartbeatMs = config.AGENTD_SSE_HEARTBEAT_MS;
  return streamSSE(c, async (stream) => {
    const queue: ResponseEvent[] = [];
    let wake: (() => void) | undefined;
    let closed = false;
    const unsubscribe = bus.subscribe(stored.id, (events) => {
      queue.push(...events);
      wake?.();
    });
    stream.onAbort(() => {
      closed = true;
      wake?.();
    });
    const heartbeat = setInterval(() => {
      void stream.write(': keep-alive\n\n').catch(() => undefined);
    }, heartbeatMs);
    let last = after;
    let done = false;
    const send = async (event: ResponseEvent) => {
      if (event.sequence_number <= last) return;
      last = event.sequence_number;
      if (TERMINAL_EVENTS.has(event.type)) done = true;
      const shown = viewEvent(event, view);
      if (!shown) return;
      await stream.writeSSE({
        id: String(shown.sequence_number),
        event: shown.type,
        data: JSON.stringify(include ? eventWithIncludes(shown, include) : shown),
      });
    };
    try {
      for (const event of await responses.events(stored.tenantId, stored.id, after)) {
        await send(event);
        if (done) return;
      }
      if (last >= stored.lastSequence && isTerminal(stored.snapshot.status)) return;
      while (!done && !closed) {
        const event = queue.shift();
        if (event) {
          await send(event);
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
