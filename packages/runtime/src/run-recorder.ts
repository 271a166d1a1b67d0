import { isTerminal, type RunEventSink, toStorableValue } from '@agentd/core';
import type { ResponseEvent, ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { RunStore } from './run-store.js';
import { withWriteRetries } from './write-retry.js';

/**
 * A frame: after a write, events wait until this long after it ended before
 * the next one (unless they hold something a client waits for), so a fast
 * stream costs a write per frame, not per token. Under a delta frame (~20 ms).
 */
const FRAME_MS = 10;

/** The unique violation a retried batch meets when its first attempt did commit. */
const UNIQUE_VIOLATION = '23505';

/** Where persisted events are published: the run event bus. Publishing is best effort. */
export interface EventPublisher {
  publish(runId: string, events: readonly ResponseEvent[]): void | Promise<void>;
  /** Whether anyone follows the run's events as they come (RunEventBus.followedLive); absent: someone may. */
  followedLive?(runId: string): boolean;
}

export interface RunRecorderOptions {
  /** Called once, when a batch cannot be written within the retry budget: the run must stop. */
  onFailure?: (error: unknown) => void;
  /** Pauses between attempts at a write that failed for a transient reason. */
  retryDelaysMs?: readonly number[];
  /** The lease generation the writes are fenced with (scaled mode); absent: not fenced. */
  generation?: number;
  /** Awaited once, before the batch that ends the run is written; must not throw. */
  beforeEnd?: (final: ResponseObject) => Promise<void>;
  /** Told when a publish fails (the events are stored; followers read them from the log). */
  onPublishError?: (error: unknown) => void;
  /**
   * The frame after each write (default FRAME_MS). 0: the write in flight is
   * the only frame, for stores whose write (a PostgreSQL commit) is itself
   * several milliseconds; the run's opening events still wait FRAME_MS for
   * its first delta.
   */
  frameMs?: number;
}

/**
 * The run's event sink: numbers events, persists them in batches (one row per
 * batch; the final snapshot goes with the last one), and only then publishes
 * them. When nothing is being written, an event is written at once (after the
 * current turn of the event loop, which gathers the events emitted in it)
 * unless the last write ended less than FRAME_MS ago; what arrives while a
 * write is in flight is grouped into the next one. The first delta of each
 * item is never held for the frame while someone streams the run: a client
 * sees the first token as soon as it is persisted (a run nobody follows live
 * waits the frame, so a fast model's turn is one write). Deltas of one item that wait together are merged into one
 * event, so a model that streams token by token costs a frame's worth of
 * events, not one per token. Live streaming needs no explicit flush.
 *
 * Text is made storable before it is written, so what a live stream shows is
 * what the log keeps. A write that still fails (after retries, if the cause
 * was transient) stops the recorder: later events are dropped, `flush`
 * rejects, `onFailure` is told, and only `fail()` may write again.
 */
export class RunRecorder implements RunEventSink {
  private pending: ResponseEvent[] = [];
  private snapshot: ResponseObject | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** A write of a batch is in flight: what arrives meanwhile waits for the next. */
  private writing = false;
  /** When the last write ended (performance.now()); the recorder's start before the first. */
  private lastWriteEnd: number;
  /** The pending events hold something a client waits for (a first delta): no frame wait. */
  private urgent = false;
  /** The wait after the last write: FRAME_MS for the opening events, then the option's. */
  private frame = FRAME_MS;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Items whose first delta was appended. */
  private readonly streaming = new Set<string>();
  private failure: unknown;
  private lost: ResponseEvent[] = [];
  private persisted: number;
  private ended = false;

  constructor(
    private readonly repository: RunStore,
    private readonly bus: EventPublisher,
    private readonly tenantId: string,
    private readonly responseId: string,
    private sequence: number,
    private readonly options: RunRecorderOptions = {},
  ) {
    this.persisted = sequence;
    // The run's opening events wait a frame for its first delta, so that a fast model's first
    // token goes out in the same write as them, not in a second one behind it.
    this.lastWriteEnd = performance.now();
  }

  /** Why the recorder stopped, if it did. */
  get failed(): unknown {
    return this.failure;
  }

  /** The events of the batch that could not be written, and the last sequence number that was. */
  get unwritten(): { events: readonly ResponseEvent[]; after: number } {
    return { events: this.lost, after: this.persisted };
  }

  /** The last snapshot appended: the run as it stood. */
  get latest(): ResponseObject | undefined {
    return this.snapshot;
  }

  append(event: ResponseEventBody, snapshot: ResponseObject): void {
    if (this.failure) return;
    this.snapshot = snapshot;
    if (this.merge(event)) return;
    this.pending.push({ ...event, sequence_number: ++this.sequence } as ResponseEvent);
    this.schedule(this.isFirstDelta(event) && this.followedLive());
  }

  flush(): Promise<void> {
    this.cancelScheduled();
    this.chain = this.chain.then(() => this.writePending());
    return this.chain;
  }

  private async writePending(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.pending.length === 0 || !this.snapshot) return;
    const batch = toStorableValue(this.pending);
    // The snapshot is stored only with the batch that ends the run: clean it only then.
    const ending = isTerminal(this.snapshot.status);
    const snapshot = ending ? toStorableValue(this.snapshot) : this.snapshot;
    this.pending = [];
    this.urgent = false;
    this.writing = true;
    try {
      // What must be in place before anyone learns that the run ended (its conversation's turn).
      if (ending && !this.ended) {
        this.ended = true;
        await this.options.beforeEnd?.(snapshot);
      }
      await this.write(batch, snapshot);
    } catch (error) {
      this.failure = error;
      this.lost = batch;
      this.options.onFailure?.(error);
      throw error;
    } finally {
      this.writing = false;
      this.lastWriteEnd = performance.now();
      this.frame = this.options.frameMs ?? FRAME_MS;
    }
    this.persisted = batch.at(-1)?.sequence_number ?? this.persisted;
    this.publish(batch);
    // What arrived during the write goes in the next one.
    if (this.pending.length > 0) this.schedule(this.urgent);
  }

  /** Arranges the next write of what is pending (see the class comment). */
  private schedule(urgent: boolean): void {
    this.urgent ||= urgent;
    // A write in flight schedules the next when it ends; one already due is soon enough.
    if (this.writing || this.immediate) return;
    const wait = this.urgent ? 0 : this.lastWriteEnd + this.frame - performance.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, wait);
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      void this.flush().catch(() => undefined);
    });
  }

  private cancelScheduled(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
  }

  /**
   * Whether someone streams the run now. A run nobody follows live (a request
   * answered at its end) writes its first delta with the frame, not at once:
   * a fast model's whole turn is then one write, not two.
   */
  private followedLive(): boolean {
    return this.bus.followedLive?.(this.responseId) ?? true;
  }

  /** The first delta of an item: a client waits for it. */
  private isFirstDelta(event: ResponseEventBody): boolean {
    if (!isDelta(event) || this.streaming.has(event.item_id)) return false;
    this.streaming.add(event.item_id);
    return true;
  }

  /**
   * Merges a delta into the last pending event when that is a delta of the
   * same item and part: nobody has seen either yet, so one event says both.
   */
  private merge(event: ResponseEventBody): boolean {
    const last = this.pending.at(-1);
    if (!last || !isDelta(event) || last.type !== event.type || !isDelta(last)) return false;
    if (last.item_id !== event.item_id || last.output_index !== event.output_index) return false;
    if ('content_index' in last && 'content_index' in event && last.content_index !== event.content_index) {
      return false;
    }
    last.delta += event.delta;
    if (last.type === 'response.output_text.delta' && event.type === 'response.output_text.delta') {
      last.logprobs = [...last.logprobs, ...event.logprobs];
    }
    return true;
  }

  /**
   * Ends a run whose events could not all be stored: one `response.failed`
   * event right after the last persisted one, with `response` as the final
   * snapshot. If even that is refused for what it holds, the snapshot is
   * written without its output. Published once persisted, so live streams end.
   */
  async fail(response: ResponseObject, bare: ResponseObject): Promise<ResponseObject> {
    await this.chain.catch(() => undefined);
    this.cancelScheduled();
    this.pending = [];
    try {
      return await this.writeTerminal(toStorableValue(response));
    } catch (error) {
      if (bare === response) throw error;
      return await this.writeTerminal(toStorableValue(bare));
    }
  }

  private async writeTerminal(response: ResponseObject): Promise<ResponseObject> {
    const event = { type: 'response.failed', response, sequence_number: this.persisted + 1 } as ResponseEvent;
    await this.write([event], response);
    this.persisted = event.sequence_number;
    this.sequence = Math.max(this.sequence, this.persisted);
    this.publish([event]);
    return response;
  }

  private publish(events: ResponseEvent[]): void {
    try {
      const published = this.bus.publish(this.responseId, events);
      if (published) published.catch((error) => this.options.onPublishError?.(error));
    } catch (error) {
      this.options.onPublishError?.(error);
    }
  }

  private async write(batch: ResponseEvent[], snapshot: ResponseObject): Promise<void> {
    let attempts = 0;
    await withWriteRetries(async () => {
      attempts += 1;
      try {
        await this.repository.appendEvents(
          this.tenantId,
          this.responseId,
          batch,
          snapshot,
          this.options.generation,
        );
      } catch (error) {
        if (attempts > 1 && (error as { code?: unknown }).code === UNIQUE_VIOLATION) return;
        throw error;
      }
    }, this.options.retryDelaysMs);
  }
}

type DeltaEvent = Extract<
  ResponseEventBody,
  {
    type:
      | 'response.output_text.delta'
      | 'response.reasoning_text.delta'
      | 'response.function_call_arguments.delta';
  }
>;

function isDelta(event: ResponseEventBody): event is DeltaEvent {
  return (
    event.type === 'response.output_text.delta' ||
    event.type === 'response.reasoning_text.delta' ||
    event.type === 'response.function_call_arguments.delta'
  );
}
