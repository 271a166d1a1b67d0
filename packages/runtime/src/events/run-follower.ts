import type { ResponseEvent, RunEventBus } from '@agentd/spec';
import { FollowerClock } from './follower-clock.js';
import { isTerminalEvent } from './terminal-event.js';

export interface RunFollowerOptions {
  bus: RunEventBus;
  /** The run's persisted events with a sequence number above `after`, in order (the database's log). */
  log: (after: number) => Promise<readonly ResponseEvent[]>;
  runId: string;
  /** Delivers the events after this sequence number (0: from the start). */
  after: number;
  /** How often the log is read while the bus is unhealthy (or a gap waits for the log to catch up). Default 1,000 ms. */
  pollMs?: number;
  /**
   * How long a healthy bus may stay quiet before the log is read anyway: the
   * safety net for a live message lost without the bus noticing. Default
   * `pollMs`; with many idle streams a longer one saves the database a read
   * per stream per `pollMs`.
   */
  quietMs?: number;
  /** Told when a read of the log failed after the first; it is tried again later. */
  onLogError?: (error: unknown) => void;
  /** The caller waits only for the run's end, not for its events as they come (RunSubscribeOptions). */
  endOnly?: boolean;
  /**
   * Each event after `after`, in order, once. Returning false says the reader
   * is behind: nothing more is delivered until `resume()`.
   */
  onEvent: (event: ResponseEvent) => boolean | undefined;
  /**
   * Called once when following ends on its own: after the terminal event was
   * delivered, or with the error when the first read of the log failed. Not
   * called after `close()`.
   */
  onEnd: (error?: unknown) => void;
}

/**
 * While the reader is behind, at most this many live events wait for it;
 * past that they are dropped and read from the log once it has caught up
 * (they were persisted before they were published), so a slow reader costs
 * the process a bounded queue, never the whole run.
 */
const MAX_WAITING = 256;

/**
 * Follows a run's events from `after`, pushing each to `onEvent` in order,
 * once, until its terminal event: the push form of followRun (see
 * follow-run.ts), holding no promise, timer or abort signal of its own, so
 * that an idle stream costs a small record. It subscribes to the bus first
 * (holding what arrives), reads the log, then follows the bus; events are
 * persisted before they are published, so:
 * - a live event at or below the last one delivered is a repeat, and dropped;
 * - a live event past the next expected one means the bus lost some (a
 *   restart): they are read from the log at once, and the live ones wait
 *   until the log has caught up (tried again every `pollMs`);
 * - while the bus is unhealthy (every `pollMs`), or when nothing live came
 *   for `quietMs`, the log is read instead: a Redis outage slows a stream
 *   down, never stalls it.
 * Those checks are made by the process's one FollowerClock. The first read
 * of the log failing ends the follower with the error; later ones are
 * retried. `close()` lets go of the subscription and the clock.
 */
export class RunFollower {
  private last: number;
  /** Events waiting to be delivered, in order (repeats and gaps included), from `head` on. */
  private waiting: ResponseEvent[] = [];
  private head = 0;
  private state: 'new' | 'reading-first' | 'following' | 'done' = 'new';
  /** A read of the log is in flight. */
  private reading = false;
  /** The reader is behind (onEvent returned false). */
  private paused = false;
  /** Live events were dropped while the reader was behind: read the log once it is back. */
  private dropped = false;
  /** When the log was last read or an event delivered: the start of a quiet spell. */
  private quietSince = Date.now();
  /** The last read failed: read again (at `retryAt`). */
  private retry = false;
  /** After a read that brought nothing new (a gap the log had not caught up with) or failed: not read again before this. */
  private retryAt = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly quietMs: number;
  private readonly clock: FollowerClock;

  constructor(private readonly options: RunFollowerOptions) {
    this.last = options.after;
    this.pollMs = options.pollMs ?? 1_000;
    this.quietMs = options.quietMs ?? this.pollMs;
    this.clock = FollowerClock.every(Math.min(this.pollMs, this.quietMs));
  }

  /** The last sequence number delivered. */
  get position(): number {
    return this.last;
  }

  /** Events held for the reader (live ones that came while it was behind, or a read of the log). */
  get held(): number {
    return this.waiting.length - this.head;
  }

  /** Subscribes, then reads the log. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'reading-first';
    const { bus, runId } = this.options;
    this.unsubscribe = bus.subscribe(
      runId,
      this.last,
      (events) => this.onLive(events),
      this.options.endOnly ? { endOnly: true } : {},
    );
    this.clock.add(this);
    this.read(true);
  }

  /** The reader caught up: deliver what waits. */
  resume(): void {
    if (!this.paused || this.state === 'done') return;
    this.paused = false;
    this.pump();
  }

  /** Stops following, without calling onEnd. */
  close(): void {
    this.stop();
  }

  /** Called by the clock: the checks that need time to pass. */
  tick(now: number): void {
    if (this.state !== 'following' || this.reading || this.paused) return;
    if (this.retry || this.head < this.waiting.length) {
      // A gap the log had not caught up with, or a read that failed: tried again every pollMs.
      if (now >= this.retryAt) this.read();
    } else if (!this.options.bus.healthy || now - this.quietSince >= this.quietMs) {
      this.read();
    }
  }

  private onLive(events: readonly ResponseEvent[]): void {
    if (this.state === 'done') return;
    if (this.paused && this.held + events.length > MAX_WAITING) {
      this.dropped = true;
      return;
    }
    for (const event of events) this.waiting.push(event);
    this.pump();
  }

  /** Delivers what waits, in order, while the reader keeps up; reads the log at a gap. */
  private pump(): void {
    while (this.state === 'following' && !this.paused && !this.reading) {
      const next = this.waiting[this.head];
      if (!next) {
        this.waiting = [];
        this.head = 0;
        if (this.dropped) {
          this.dropped = false;
          this.read();
        }
        return;
      }
      if (next.sequence_number <= this.last) {
        this.head++;
        continue;
      }
      if (next.sequence_number !== this.last + 1) {
        // A gap (the bus lost events the log holds): read it, unless the log was just read and had not caught up.
        if (Date.now() >= this.retryAt) this.read();
        return;
      }
      this.head++;
      this.deliver(next);
    }
    if (this.head > 1_024) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private deliver(event: ResponseEvent): void {
    this.last = event.sequence_number;
    this.quietSince = Date.now();
    const more = this.options.onEvent(event);
    if (this.state === 'done') return; // closed by the reader
    if (isTerminalEvent(event)) {
      this.stop();
      this.options.onEnd();
      return;
    }
    if (more === false) this.paused = true;
  }

  private read(first = false): void {
    this.reading = true;
    this.quietSince = Date.now();
    this.options.log(this.last).then(
      (events) => {
        this.reading = false;
        this.retry = false;
        if (this.state === 'done') return;
        this.state = 'following';
        // The log's events come before those waiting (which the pump drops as repeats where they overlap).
        const fresh = events.filter((event) => event.sequence_number > this.last);
        if (fresh.length > 0) {
          this.waiting = [...fresh, ...this.waiting.slice(this.head)];
          this.head = 0;
        }
        // Nothing new and a gap still open: it waits pollMs for the log to catch up, not a read per live event.
        this.retryAt = fresh.length === 0 && this.gapOpen() ? Date.now() + this.pollMs : 0;
        this.pump();
      },
      (error: unknown) => {
        this.reading = false;
        if (this.state === 'done') return;
        if (first) {
          this.stop();
          this.options.onEnd(error);
          return;
        }
        this.options.onLogError?.(error);
        this.retry = true;
        this.retryAt = Date.now() + this.pollMs;
      },
    );
  }

  /** The first event waiting past the last one delivered is not the next one. */
  private gapOpen(): boolean {
    for (let index = this.head; index < this.waiting.length; index++) {
      const sequence = (this.waiting[index] as ResponseEvent).sequence_number;
      if (sequence > this.last) return sequence !== this.last + 1;
    }
    return false;
  }

  private stop(): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.waiting = [];
    this.head = 0;
    this.clock.remove(this);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
