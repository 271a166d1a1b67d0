import { isTerminal } from '@agentd/core';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../http/app-env.js';
import { keepAlive } from '../http/sse-keep-alive.js';
import { type EventView, viewEvent } from './event-view.js';
import { eventWithIncludes } from './response-includes.js';
import type { StoredResponse } from './response-repository.js';

/**
 * Streams a response's events as SSE from `after` on: the persisted log
 * first, then live events, without a gap or a repeat, wherever the run
 * executes (RunRuntime.follow). Each event's id is its sequence number.
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
  /** The request created and started the run just now (RunRuntime.follow). */
  justStarted = false,
) {
  const { runs, config, metrics } = c.get('services');
  const heartbeatMs = config.AGENTD_SSE_HEARTBEAT_MS;
  // Made here, so that the stream's callback holds the follower and not the stored run.
  const finished = after >= stored.lastSequence && isTerminal(stored.snapshot.status);
  const stop = new AbortController();
  const events = finished ? undefined : runs.follow(stored, after, stop.signal, { justStarted });
  return streamSSE(c, async (stream) => {
    const closed = metrics.streamOpened();
    stream.onAbort(() => stop.abort());
    const stopKeepAlive = keepAlive(stream, heartbeatMs);
    try {
      if (!events) return;
      for await (const event of events) {
        const shown = viewEvent(event, view);
        if (!shown) continue;
        await stream.writeSSE({
          id: String(shown.sequence_number),
          event: shown.type,
          data: JSON.stringify(include ? eventWithIncludes(shown, include) : shown),
        });
      }
    } finally {
      closed();
      stopKeepAlive();
      stop.abort();
    }
  });
}
