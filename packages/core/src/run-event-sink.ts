import type { ResponseEventBody, ResponseObject } from '@agentd/spec';

/**
 * Where a run's events go. `append` queues an event together with the
 * snapshot after it; the sink persists and publishes in the background (in
 * batches), and `flush` resolves once everything appended is persisted and
 * published. Events are published only after they are persisted. The loop
 * awaits `flush` only before it runs a turn's tools (so the calls are stored
 * before their effects) and when the run ends, so storage latency does not sit
 * on every streamed step.
 */
export interface RunEventSink {
  append(event: ResponseEventBody, snapshot: ResponseObject): void;
  flush(): Promise<void>;
}
