import { isTerminal } from '@agentd/core';
import type { RunFollower } from '@agentd/runtime';
import type { Context } from 'hono';
import type { AppEnv } from '../http/app-env.js';
import { openSse } from '../http/sse/sse-response.js';
import { type EventView, viewEvent } from './event-view.js';
import { eventWithIncludes } from './response-includes.js';
import type { StoredResponse } from './response-repository.js';

/**
 * Streams a response's events as SSE from `after` on: the persisted log
 * first, then live events, without a gap or a repeat, wherever the run
 * executes (RunRuntime.watch). Each event's id is its sequence number.
 * `view` picks which events are sent (see event-view.ts); the ones left out
 * still advance the position, so a resume never replays them.
 * A client that goes away only ends its stream, never the run. A client that
 * reads slowly holds the follower back (the socket's buffer says when), so
 * the process keeps a bounded queue for it, not the run's events.
 * What an open stream holds: the Node request and response, the follower's
 * record, and the closures below; not the stored run, not the request's
 * context.
 */
export function streamEvents(
  c: Context<AppEnv>,
  stored: StoredResponse,
  after: number,
  view: EventView,
  /** The request's `include`: built-in tool items' results and outputs are cut unless named. Absent: all shown. */
  include?: readonly string[],
  /** The request created and started the run just now (RunRuntime.follow). */
  justStarted = false,
  /** Told once the stream has ended (or its client went away). */
  onEnd?: () => void,
): Response {
  const { runs, config, metrics, logger } = c.get('services');
  const finished = after >= stored.lastSequence && isTerminal(stored.snapshot.status);
  const closed = metrics.streamOpened();
  let follower: RunFollower | undefined;
  const { response, stream } = openSse(c, config.AGENTD_SSE_HEARTBEAT_MS, {
    onDrain: () => follower?.resume(),
    onClose: () => {
      follower?.close();
      closed();
      onEnd?.();
    },
  });
  if (finished) {
    stream.end();
    return response;
  }
  const id = stored.id;
  follower = runs.watch(
    stored,
    after,
    {
      onEvent: (event) => {
        const shown = viewEvent(event, view);
        if (!shown) return true;
        const data = JSON.stringify(include ? eventWithIncludes(shown, include) : shown);
        return stream.write(`event: ${shown.type}\ndata: ${data}\nid: ${shown.sequence_number}\n\n`);
      },
      onEnd: (error) => {
        if (error !== undefined)
          logger.error({ err: error, response_id: id }, 'could not stream the response');
        stream.end();
      },
    },
    { justStarted },
  );
  follower.start();
  return response;
}
