import { createSseParser, type SseMessage } from '@agentd/spec';
import { ModelError } from '../model-error.js';
import type { ByteReader } from './http-post.js';
import { abortReason, connectionError } from './open-stream.js';

export interface ReadProgress {
  /** Set once the first byte of the body arrived; from then on nothing is retried. */
  received: boolean;
}

/**
 * Reads a response body as server-sent events. If no chunk arrives for
 * `idleTimeoutMs`, aborts `controller` (which closes the connection) and throws.
 */
export async function* readSseEvents(
  reader: ByteReader,
  idleTimeoutMs: number,
  controller: AbortController,
  progress: ReadProgress,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  const queue: SseMessage[] = [];
  const parser = createSseParser((event) => queue.push(event), { dispatchUnterminated: true });
  let finished = false;
  try {
    while (true) {
      const chunk = await readWithin(reader, idleTimeoutMs, controller);
      if (chunk.done) {
        parser.feed(decoder.decode());
        parser.end();
        finished = true;
        yield* queue.splice(0);
        return;
      }
      progress.received = true;
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
    }
  } finally {
    if (!finished) reader.cancel().catch(() => {});
  }
}

async function readWithin(reader: ByteReader, idleTimeoutMs: number, controller: AbortController) {
  const timer = setTimeout(
    () =>
      controller.abort(
        new ModelError('model_idle_timeout', `The stream sent nothing for ${idleTimeoutMs} ms`),
      ),
    idleTimeoutMs,
  );
  try {
    return await reader.read();
  } catch (error) {
    throw abortReason(controller.signal) ?? connectionError('The connection broke mid-stream', error);
  } finally {
    clearTimeout(timer);
  }
}
