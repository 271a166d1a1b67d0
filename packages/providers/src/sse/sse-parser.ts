import { createParser } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field, when the server sent one. */
  event?: string;
  data: string;
  id?: string;
}

export interface SseParser {
  /** Feeds decoded text; chunks may split lines and events anywhere. */
  feed(text: string): void;
  /** Flushes the last event, even when the server did not end it with a blank line. */
  end(): void;
}

/**
 * Server-sent events, parsed by eventsource-parser (WHATWG rules: every line
 * ending, multi-line data, comments, a leading BOM). `end` also delivers a last
 * event the server did not close with a blank line, as some model servers do.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  let pending = '';
  let started = false;
  const parser = createParser({
    onEvent(message) {
      const event: SseEvent = { data: message.data };
      if (message.event !== undefined) event.event = message.event;
      if (message.id !== undefined) event.id = message.id;
      onEvent(event);
    },
  });
  return {
    feed(input) {
      let text = input;
      if (!started && text !== '') {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // Remember whether the text so far ends an event, to know whether `end` must close one.
      pending = (pending + text).slice(-4);
      parser.feed(text);
    },
    end() {
      if (!/(\r\n|\r|\n){2}$/.test(pending) && pending !== '') parser.feed('\n\n');
      parser.reset();
      pending = '';
      started = false;
    },
  };
}
