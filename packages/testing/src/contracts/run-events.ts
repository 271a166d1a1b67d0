import { randomUUID } from 'node:crypto';
import type { ResponseEvent, ResponseObject } from '@agentd/spec';

/** A unique run id, so tests sharing one bus never see each other's events. */
export const testRunId = (label = 'run') => `resp_${label}_${randomUUID().replaceAll('-', '')}`;

/** A text delta with sequence number `sequence`: the most common event of a run. */
export function deltaEvent(sequence: number, delta = `delta ${sequence}`): ResponseEvent {
  return {
    type: 'response.output_text.delta',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta,
    logprobs: [],
    sequence_number: sequence,
  };
}

/** Deltas numbered `from` to `to`, both included. */
export function deltaEvents(from: number, to: number): ResponseEvent[] {
  return Array.from({ length: to - from + 1 }, (_, index) => deltaEvent(from + index));
}

/** The event that ends a run. */
export function completedEvent(runId: string, sequence: number): ResponseEvent {
  const response = {
    id: runId,
    object: 'response',
    created_at: 0,
    completed_at: 0,
    status: 'completed',
    output: [],
  } as unknown as ResponseObject;
  return { type: 'response.completed', response, sequence_number: sequence };
}

/** The sequence numbers of `events`, in the order given. */
export const sequences = (events: readonly ResponseEvent[]) => events.map((event) => event.sequence_number);

/** A listener that keeps what it is given, in order. */
export function recorder() {
  const events: ResponseEvent[] = [];
  return {
    events,
    listener: (batch: readonly ResponseEvent[]) => {
      events.push(...batch);
    },
    sequences: () => sequences(events),
  };
}
