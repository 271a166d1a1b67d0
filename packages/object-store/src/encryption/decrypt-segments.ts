import { ObjectTamperedError } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import { SegmentCipher } from './segment-cipher.js';
import { HEADER_BYTES, parseSegmentHeader, TAG_BYTES } from './segment-format.js';

/**
 * The plaintext of an encrypted object, one authenticated segment at a time.
 * A segment is released only after its tag verifies, so a reader never
 * receives a byte of a segment that was altered, moved or cut short; the
 * first bad one ends the stream with ObjectTamperedError. A segment counts
 * as the last only when the input ends right after it.
 */
export async function* decryptSegments(
  ciphertext: AsyncIterable<Buffer>,
  dataKey: Buffer,
  objectKey: string,
  masterKeyId: string,
): AsyncGenerator<Buffer> {
  const tampered = (problem: string) => new ObjectTamperedError(objectKey, problem, masterKeyId);
  const open = (cipher: SegmentCipher, sealed: Buffer, last: boolean): Buffer => {
    const plaintext = cipher.open(sealed, last);
    if (plaintext === undefined) {
      throw tampered(`segment ${cipher.index}${last ? ' (the last)' : ''} failed authentication`);
    }
    return plaintext;
  };
  const pending = new ByteQueue();
  let cipher: SegmentCipher | undefined;
  for await (const chunk of ciphertext) {
    pending.push(chunk);
    if (cipher === undefined) {
      if (pending.length < HEADER_BYTES) continue;
      const header = parseSegmentHeader(pending.take(HEADER_BYTES));
      if (header === undefined) throw tampered('its header is not one of an encrypted object');
      cipher = new SegmentCipher(dataKey, header, objectKey);
    }
    while (pending.length > cipher.sealedSegmentSize) {
      yield open(cipher, pending.take(cipher.sealedSegmentSize), false);
    }
  }
  if (cipher === undefined) throw tampered('it is shorter than its header');
  if (pending.length < TAG_BYTES) throw tampered('it ends before its last segment');
  const last = open(cipher, pending.take(pending.length), true);
  if (last.length > 0) yield last;
}
