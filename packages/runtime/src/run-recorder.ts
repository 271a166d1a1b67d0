import { isTerminal, type RunEventSink, toStorableValue } from '@agentd/core';
import type { ResponseEvent, ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { RunStore } from './run-store.js';
import { withWriteRetries } from './write-retry.js';

/** How long appended events may wait to be written together; well under a delta frame (~20 ms). */
const FLUSH_INTERVAL_MS = 10;

/** The unique violation a retried batch meets when its first attempt did commit. */
const UNIQUE_VIOLATION = '23505';

/** Where persisted events are published: the run event bus. Publishing is best effort. */
export interface EventPublisher {
  publish(runId: string, events: readonly ResponseEvent[]): void | Promise<void>;
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
}

/**
 * The run's event sink: numbers events, persists them in batches (one row per
 * batch; the final snapshot goes with the last one), and only then publishes
 * them. A batch is written within FLUSH_INTERVAL_MS of its first event, so
 * live streaming needs no explicit flush and a fast run costs few writes.
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
  private scheduled = false;
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
    this.pending.push({ ...event, sequence_number: ++this.sequence } as ResponseEvent);
    this.snapshot = snapshot;
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => {
        this.scheduled = false;
        void this.flush().catch(() => undefined);
      }, FLUSH_INTERVAL_MS);
    }
  }

  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.failure) throw this.failure;
      if (this.pending.length === 0 || !this.snapshot) return;
      const batch = toStorableValue(this.pending);
      // The snapshot is stored only with the batch that ends the run: clean it only then.
      const ending = isTerminal(this.snapshot.status);
      const snapshot = ending ? toStorableValue(this.snapshot) : this.snapshot;
      this.pending = [];
      // What must be in place before anyone learns that the run ended (its conversation's turn).
      if (ending && !this.ended) {
        this.ended = true;
        await this.options.beforeEnd?.(snapshot);
      }
      try {
        await this.write(batch, snapshot);
      } catch (error) {
        this.failure = error;
        this.lost = batch;
        this.options.onFailure?.(error);
        throw error;
      }
      this.persisted = batch.at(-1)?.sequence_number ?? this.persisted;
      this.publish(batch);
    });
    return this.chain;
  }

  /**
   * Ends a run whose events could not all be stored: one `response.failed`
   * event right after the last persisted one, with `response` as the final
   * snapshot. If even that is refused for what it holds, the snapshot is
   * written without its output. Published once persisted, so live streams end.
   */
  async fail(response: ResponseObject, bare: ResponseObject): Promise<ResponseObject> {
    await this.chain.catch(() => undefined);
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
