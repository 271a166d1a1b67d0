/**
 * Server-sent events (the WHATWG text/event-stream format): the one reader the
 * SDK, the CLI, the tests and the model providers share. Pure code on web
 * globals (TextDecoder, ReadableStream), so it runs in Node and in browsers.
 */

/** One event. `id` is the event's own `id:` field (a sequence number on agentd's streams). */
export interface SseMessage {
  /** The `event:` field, when the server sent one. */
  event?: string;
  data: string;
  id?: string;
  /** The `retry:` field (milliseconds), when the event carried one. */
  retry?: number;
}

export interface SseParserOptions {
  /**
   * At `end()`, deliver a last event the server did not close with a blank
   * line (some model servers do that). Off by default, as the standard says:
   * on a connection cut mid-event the half event must not be read.
   */
  dispatchUnterminated?: boolean;
}

export interface SseParser {
  /** Feeds decoded text; chunks may split lines and events anywhere. */
  feed(text: string): void;
  /** The stream ended. */
  end(): void;
}

/**
 * A push parser: every line ending (CRLF, LF, CR, even split across chunks),
 * multi-line data, comments, a leading byte order mark, events without data
 * dropped.
 */
export function createSseParser(
  onMessage: (message: SseMessage) => void,
  options: SseParserOptions = {},
): SseParser {
  let buffer = '';
  let started = false;
  // A chunk ended with \r: a \n opening the next chunk belongs to that line end.
  let afterCr = false;
  let event: Omit<SseMessage, 'data'> = {};
  let data: string[] = [];

  const dispatch = () => {
    if (data.length > 0) onMessage({ ...event, data: data.join('\n') });
    event = {};
    data = [];
  };
  const line = (text: string) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event.event = value;
    else if (field === 'id' && !value.includes('\0')) event.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
  };

  return {
    feed(input) {
      let text = input;
      if (!started && text !== '') {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (afterCr && text.startsWith('\n')) text = text.slice(1);
      if (text === '') return;
      afterCr = text.endsWith('\r');
      buffer += text;
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        if (end === -1) break;
        const next = buffer.startsWith('\r\n', end) ? end + 2 : end + 1;
        const current = buffer.slice(0, end);
        buffer = buffer.slice(next);
        line(current);
      }
    },
    end() {
      if (options.dispatchUnterminated) {
        if (buffer !== '') line(buffer);
        dispatch();
      }
      buffer = '';
      started = false;
      afterCr = false;
      event = {};
      data = [];
    },
  };
}

export interface ReadSseOptions extends SseParserOptions {
  /** Stops reading (and cancels the body) when aborted; the generator then throws the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Reads a text/event-stream body, one event at a time. Breaking out of the
 * loop cancels the body (closing the connection). EventSource cannot send an
 * Authorization header, hence a reader over fetch.
 */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  options: ReadSseOptions = {},
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const queue: SseMessage[] = [];
  const parser = createSseParser((message) => queue.push(message), options);
  const reader = body.getReader();
  const { signal } = options;
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const chunk = await reader.read();
      signal?.throwIfAborted();
      if (chunk.done) {
        parser.feed(decoder.decode());
        parser.end();
        finished = true;
        yield* queue.splice(0);
        return;
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (queue.length > 0) yield queue.shift() as SseMessage;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
