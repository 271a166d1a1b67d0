import { createCipheriv, createDecipheriv } from 'node:crypto';
import { MAX_SEGMENTS, type SegmentHeader, segmentAad, segmentNonce, TAG_BYTES } from './segment-format.js';

/**
 * Seals or opens the segments of one object in order, keeping the segment
 * counter that goes into each nonce.
 */
export class SegmentCipher {
  readonly header: SegmentHeader;
  readonly #dataKey: Buffer;
  readonly #aad: Buffer;
  #index = 0;

  constructor(dataKey: Buffer, header: SegmentHeader, objectKey: string) {
    this.header = header;
    this.#dataKey = dataKey;
    this.#aad = segmentAad(header, objectKey);
  }

  /** The position of the next segment. */
  get index(): number {
    return this.#index;
  }

  /** A segment's size as stored: its plaintext plus the tag. */
  get sealedSegmentSize(): number {
    return this.header.segmentSize + TAG_BYTES;
  }

  /** The next segment's ciphertext followed by its tag. */
  seal(plaintext: Buffer, last: boolean): Buffer {
    if (this.#index >= MAX_SEGMENTS) throw new RangeError(`an object holds at most ${MAX_SEGMENTS} segments`);
    const cipher = createCipheriv('aes-256-gcm', this.#dataKey, segmentNonce(this.header, this.#index, last));
    cipher.setAAD(this.#aad);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    this.#index++;
    return sealed;
  }

  /** The next segment's plaintext, or undefined when it fails authentication (nothing of it is returned then). */
  open(sealed: Buffer, last: boolean): Buffer | undefined {
    if (sealed.length < TAG_BYTES) return undefined;
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.#dataKey,
      segmentNonce(this.header, this.#index, last),
    );
    decipher.setAAD(this.#aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    this.#index++;
    return plaintext;
  }
}
