import { ByteQueue } from './byte-queue.js';
import { SegmentCipher } from './segment-cipher.js';
import type { SegmentHeader } from './segment-format.js';

/**
 * The encrypted object for a plaintext stream: the header, then each segment
 * sealed as soon as it is complete. A full segment is held back until more
 * bytes arrive, because only the end of the input says which segment is last.
 */
export async function* encryptSegments(
  plaintext: AsyncIterable<Buffer>,
  dataKey: Buffer,
  header: SegmentHeader,
  objectKey: string,
): AsyncGenerator<Buffer> {
  const cipher = new SegmentCipher(dataKey, header, objectKey);
  const pending = new ByteQueue();
  yield header.bytes;
  for await (const chunk of plaintext) {
    pending.push(chunk);
    while (pending.length > header.segmentSize) yield cipher.seal(pending.take(header.segmentSize), false);
  }
  yield cipher.seal(pending.take(pending.length), true);
}
