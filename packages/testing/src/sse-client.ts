import type { UntypedJson } from './untyped-json.js';

export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  /** The event's data, parsed when it is JSON. */
  data: UntypedJson;
}

/**
 * Reads a server-sent event stream from a fetch response, one parsed event at
 * a time. Comments (heartbeats) are skipped.
 */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end === -1) break;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0 && id === undefined && event === undefined) continue;
      const text = data.join('\n');
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      yield { id, event, data: parsed };
    }
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
