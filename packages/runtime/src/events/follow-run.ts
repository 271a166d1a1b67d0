import type { ResponseEvent, RunEventBus } from '@agentd/spec';
import { RunFollower } from './run-follower.js';

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
  /** The caller waits only for the run's end, not for its events as they come (RunSubscribeOptions). */
  endOnly?: boolean;
}

/** Events handed over but not yet taken by the consumer, past which the follower waits for it. */
const HIGH_WATER = 64;

/**
 * A run's events after `after`, in order, each once, until its terminal event
 * or until `signal` aborts: a RunFollower (run-follower.ts, which says how the
 * log and the bus are joined without a gap or a repeat) read as an async
 * iterator. The first read of the log throws to the caller; later ones are
 * retried. Stopping early (`return()`, `break`) or aborting releases the
 * subscription and the follower's place on the clock.
 */
export async function* followRun(options: FollowRunOptions): AsyncGenerator<ResponseEvent, void, undefined> {
  const { signal } = options;
  if (signal?.aborted) return;
  const queue: ResponseEvent[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const wakeUp = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const follower = new RunFollower({
    ...options,
    onEvent: (event) => {
      queue.push(event);
      wakeUp();
      return queue.length < HIGH_WATER;
    },
    onEnd: (error) => {
      ended = true;
      if (error !== undefined) failure = { error };
      wakeUp();
    },
  });
  const onAbort = () => {
    follower.close();
    ended = true;
    wakeUp();
  };
  signal?.addEventListener('abort', onAbort);
  try {
    follower.start();
    while (!signal?.aborted) {
      const event = queue.shift();
      if (event) {
        if (queue.length === 0) follower.resume();
        yield event;
        continue;
      }
      if (failure) throw failure.error;
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    follower.close();
  }
}
