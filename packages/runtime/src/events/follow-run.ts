import type { ResponseEvent, RunEventBus } from '@agentd/spec';
import { isTerminalEvent } from './terminal-event.js';

export interface FollowRunOptions {
  bus: RunEventBus;
  /** The run's persisted events with a sequence number above `after`, in order (the database's log). */
  log: (after: number) => Promise<readonly ResponseEvent[]>;
  runId: string;
  /** Yields the events after this sequence number (0: from the start). */
  after: number;
  /** Ends the iteration (a client went away). */
  signal?: AbortSignal;
  /** How often the log is read while the bus is unhealthy (or a gap waits for the log to catch up). Default 1,000 ms. */
  pollMs?: number;
  /**
   * How long a healthy bus may stay quiet before the log is read anyway: the
   * safety net for a live message lost without the bus noticing. Default
   * `pollMs`; with many idle streams (runs waiting on an approval) a longer
   * one saves the database a read per stream per `pollMs`.
   */
  quietMs?: number;
  /** Told when a read of the log failed after the first; it is tried again later. */
  onLogError?: (error: unknown) => void;
}

/**
 * A run's events after `after`, in order, each once, until its terminal event
 * or until `signal` aborts. It subscribes to the bus first (holding what
 * arrives), reads the log, then follows the bus; events are persisted before
 * they are published, so:
 * - a live event at or below the last one yielded is a repeat, and dropped;
 * - a live event past the next expected one means the bus lost some (a
 *   restart): they are read from the log, and the live ones wait until the
 *   log has caught up;
 * - while the bus is unhealthy (every `pollMs`, noticed within `pollMs` of
 *   its going down), or when nothing live came for `quietMs` before the run
 *   ended, the log is read instead: a Redis outage slows a stream down,
 *   never stalls it.
 * The first read of the log throws to the caller; later ones are retried.
 * Stopping early (`return()`, `break`) or aborting releases the subscription
 * and the timer.
 */
export async function* followRun(options: FollowRunOptions): AsyncGenerator<ResponseEvent, void, undefined> {
  const { bus, log, runId, signal } = options;
  const pollMs = options.pollMs ?? 1_000;
  const quietMs = options.quietMs ?? pollMs;
  const live: ResponseEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let waiting: { resolve: () => void; onLive: boolean } | undefined;
  const wakeUp = (cause: 'live' | 'abort') => {
    if (!waiting || (cause === 'live' && !waiting.onLive)) return;
    const { resolve } = waiting;
    waiting = undefined;
    clearTimeout(timer);
    resolve();
  };
  /** Waits `ms`, or less if the signal aborts (or, with `onLive`, a live event arrives); true when the time ran out. */
  const wait = (ms: number, onLive: boolean) =>
    new Promise<boolean>((resolve) => {
      waiting = { resolve: () => resolve(false), onLive };
      timer = setTimeout(() => {
        waiting = undefined;
        resolve(true);
      }, ms);
    });
  const onAbort = () => wakeUp('abort');

  let last = options.after;
  const unsubscribe = bus.subscribe(runId, last, (events) => {
    live.push(...events);
    wakeUp('live');
  });
  signal?.addEventListener('abort', onAbort);
  try {
    if (signal?.aborted) return;
    /** The log's events after `last`, or none when it could not be read. */
    const readLog = async (): Promise<readonly ResponseEvent[]> => {
      try {
        return await log(last);
      } catch (error) {
        options.onLogError?.(error);
        return [];
      }
    };

    let ended = false;
    /** When the healthy bus went quiet (nothing live to yield), for quietMs. */
    let quietSince: number | undefined;
    for (const event of await log(last)) {
      if (event.sequence_number <= last) continue;
      last = event.sequence_number;
      yield event;
      if (isTerminalEvent(event)) return;
    }

    while (!ended && !signal?.aborted) {
      const next = live[0];
      if (next && next.sequence_number <= last) {
        live.shift();
        continue;
      }
      if (next && next.sequence_number === last + 1) {
        live.shift();
        quietSince = undefined;
        last = next.sequence_number;
        yield next;
        ended = isTerminalEvent(next);
        continue;
      }
      // A gap (the bus lost events the log holds), an unhealthy bus, or a quiet one: read the log.
      // A quiet wait looks at the bus every pollMs: one that went down meanwhile is not waited out.
      if (!next && bus.healthy) {
        quietSince ??= Date.now();
        const left = quietSince + quietMs - Date.now();
        if (left > 0 && (!(await wait(Math.min(left, pollMs), true)) || bus.healthy)) continue;
      }
      quietSince = undefined;
      const before = last;
      for (const event of await readLog()) {
        if (event.sequence_number <= last) continue;
        last = event.sequence_number;
        yield event;
        ended = isTerminalEvent(event);
        if (ended) break;
      }
      if (ended || signal?.aborted) break;
      // A gap the log has not caught up with yet: try again later, not on every live event.
      if (next && last === before) await wait(pollMs, false);
      // Polling while the bus is down: a live event (the bus is back) ends the wait early.
      else if (!next && !bus.healthy && live.length === 0) await wait(pollMs, true);
    }
  } finally {
    clearTimeout(timer);
    waiting = undefined;
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
