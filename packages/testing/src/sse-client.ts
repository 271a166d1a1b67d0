import { readSse as readMessages } from '@agentd/spec';
import type { UntypedJson } from './untyped-json.js';

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  /** The event's data, parsed when it is JSON. */
  data: UntypedJson;
}

/**
 * Reads a server-sent event stream from a fetch response, one parsed event at
 * a time (spec's reader; comments and heartbeats are skipped).
 */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  for await (const message of readMessages(response.body)) {
    let parsed: unknown = message.data;
    try {
      parsed = JSON.parse(message.data);
    } catch {
      // not JSON: keep the text
    }
    yield { id: message.id, event: message.event, data: parsed };
  }
}

/** Collects a whole stream, or up to the first event `stop` accepts. */
export async function collectSse(
  response: Response,
  stop?: (event: SseEvent) => boolean,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(response)) {
    events.push(event);
    if (stop?.(event)) break;
  }
  return events;
}
