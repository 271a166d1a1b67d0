import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Everything a stream yields, as one Buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** What a stream yielded before it failed, and the failure. */
export async function readUntilError(stream: Readable): Promise<{ received: Buffer; error: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (error) {
    return { received: Buffer.concat(chunks), error };
  }
  return { received: Buffer.concat(chunks), error: undefined };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `bytes` in chunks of `chunkSize`, as plain Uint8Arrays (not Buffers), the way a web body comes. */
export async function* chunked(bytes: Buffer, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    yield new Uint8Array(bytes.subarray(offset, offset + chunkSize));
  }
}
