import type { ObjectBody } from './object-store.js';

/**
 * The body as a sequence of non-empty Buffers, read as they arrive. Buffers
 * share memory with the chunks they come from; strings (a Readable in text
 * mode) are encoded as UTF-8.
 */
export async function* bodyChunks(body: ObjectBody): AsyncGenerator<Buffer> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) yield asBuffer(body);
    return;
  }
  for await (const chunk of body as AsyncIterable<unknown>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError(`an object body must yield bytes, got ${typeof chunk}`);
    }
    if (bytes.byteLength > 0) yield asBuffer(bytes);
  }
}

/** Passes chunks through, adding their lengths to `count.bytes`. */
export async function* countBytes(
  chunks: AsyncIterable<Buffer>,
  count: { bytes: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    count.bytes += chunk.byteLength;
    yield chunk;
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
