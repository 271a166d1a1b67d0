import { randomBytes } from 'node:crypto';

/**
 * The layout of an encrypted object: a 16-byte header, then the plaintext in
 * segments of `segmentSize` bytes (the last one shorter, possibly empty),
 * each sealed with AES-256-GCM under the object's data key and followed by
 * its 16-byte tag.
 *
 *   header  = magic "AGDO" | version (1 byte) | segmentSize (uint32 BE) | noncePrefix (7 bytes)
 *   nonce_i = noncePrefix (7) | i (uint32 BE) | 0x01 if segment i is the last, else 0x00
 *   aad     = header | UTF-8 object key
 *
 * This is the STREAM construction (as in Tink's streaming AEAD and age): the
 * counter in the nonce fixes each segment's position and the last-segment
 * flag marks where the object ends, so reordering, truncation at a segment
 * boundary and appending all fail authentication; the header and the object
 * key in the AAD tie every segment to this object under this key.
 */

export const SEGMENT_SIZE = 64 * 1024;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 16;

const MAGIC = Buffer.from('AGDO', 'ascii');
const FORMAT_VERSION = 1;
const NONCE_PREFIX_BYTES = 7;
/** The counter is 32 bits wide. */
export const MAX_SEGMENTS = 2 ** 32;
/** Bounds what a reader will buffer for one segment, whatever a header claims. */
const MAX_SEGMENT_SIZE = 16 * 1024 * 1024;

export interface SegmentHeader {
  readonly segmentSize: number;
  readonly noncePrefix: Buffer;
  /** The header as stored, which every segment's AAD includes. */
  readonly bytes: Buffer;
}

/** A header for a new object: the current segment size and a random nonce prefix. */
export function newSegmentHeader(): SegmentHeader {
  const noncePrefix = randomBytes(NONCE_PREFIX_BYTES);
  const bytes = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt8(FORMAT_VERSION, 4);
  bytes.writeUInt32BE(SEGMENT_SIZE, 5);
  noncePrefix.copy(bytes, 9);
  return { segmentSize: SEGMENT_SIZE, noncePrefix, bytes };
}

/** The header in the first HEADER_BYTES of an object, or undefined when they are not one this code can read. */
export function parseSegmentHeader(bytes: Buffer): SegmentHeader | undefined {
  if (bytes.length !== HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) return undefined;
  if (bytes.readUInt8(4) !== FORMAT_VERSION) return undefined;
  const segmentSize = bytes.readUInt32BE(5);
  if (segmentSize === 0 || segmentSize > MAX_SEGMENT_SIZE) return undefined;
  return { segmentSize, noncePrefix: Buffer.from(bytes.subarray(9)), bytes: Buffer.from(bytes) };
}

export function segmentNonce(header: SegmentHeader, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_PREFIX_BYTES + 5);
  header.noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce.writeUInt8(last ? 1 : 0, NONCE_PREFIX_BYTES + 4);
  return nonce;
}

export function segmentAad(header: SegmentHeader, objectKey: string): Buffer {
  // The header has a fixed length, so header | key is unambiguous.
  return Buffer.concat([header.bytes, Buffer.from(objectKey, 'utf8')]);
}
