import type { RunEventSink } from '@agentd/core';
import type { ResponseEvent, ResponseEventBody, ResponseObject } from '@agentd/spec';
import type { ResponseRepository } from './response-repository.js';
import type { RunEventBus } from './run-event-bus.js';

/** How long appended events may wait to be written together; well under a delta frame (~20 ms). */
const FLUSH_INTERVAL_MS = 10;

/**
 * The run's event sink: numbers events, persists them in batches (one row per
 * batch; the final snapshot goes with the last one), and only then publishes
 * them. A batch is written within FLUSH_INTERVAL_MS of its first event, so
 * live streaming needs no explicit flush and a fast run costs few writes.
 */
export class RunRecorder implements RunEventSink {
  private pending: ResponseEvent[] = [];
  private snapshot: ResponseObject | undefined;
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: unknown;

  constructor(
    private readonly repository: ResponseRepository,
    private readonly bus: RunEventBus,
    private readonly tenantId: string,
    private readonly responseId: string,
    private sequence: number,
  ) {}

  append(event: ResponseEventBody, snapshot: ResponseObject): void {
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
      const batch = this.pending;
      this.pending = [];
      try {
        await this.repository.appendEvents(this.tenantId, this.responseId, batch, this.snapshot);
      } catch (error) {
        this.failure = error;
        throw error;
      }
      this.bus.publish(this.responseId, batch);
    });
    return this.chain;
  }
}
