import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { bodyChunks, countBytes } from '../body-chunks.js';
import {
  InvalidObjectKeyError,
  ObjectNotFoundError,
  ObjectTamperedError,
  UnknownMasterKeyError,
} from '../errors.js';
import { validateObjectKey } from '../object-key.js';
import type { GetOptions, ObjectBody, ObjectStore, PutOptions } from '../object-store.js';
import {
  DATA_KEY_BYTES,
  type DataKeySidecar,
  MAX_SIDECAR_BYTES,
  parseSidecar,
  SIDECAR_SUFFIX,
  sidecarKeyOf,
  unwrapDataKey,
  wrapDataKey,
} from './data-key-sidecar.js';
import { decryptSegments } from './decrypt-segments.js';
import { encryptSegments } from './encrypt-segments.js';
import type { Keyring } from './keyring.js';
import { newSegmentHeader } from './segment-format.js';

/**
 * Envelope encryption over another store (docs/architecture/ADR-0007): each
 * object is encrypted in authenticated segments under its own random data
 * key, and that key, wrapped by the keyring's current master key, is stored
 * beside it as `<key>.dek`. Keys ending in `.dek` are therefore reserved.
 *
 * A put writes the object, then its sidecar (deleting the object if the
 * sidecar cannot be written); a delete removes the object, then the sidecar.
 * A read racing an overwrite of the same key can see the new object with the
 * old sidecar and fail with ObjectTamperedError.
 */
export class EncryptedObjectStore implements ObjectStore {
  readonly #inner: ObjectStore;
  readonly #keyring: Keyring;

  constructor(inner: ObjectStore, keyring: Keyring) {
    this.#inner = inner;
    this.#keyring = keyring;
  }

  /** Returns the plaintext size. The content type is not passed on: the inner store holds ciphertext. */
  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ size: number }> {
    validateUserKey(key);
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const count = { bytes: 0 };
    const ciphertext = encryptSegments(countBytes(bodyChunks(body), count), dataKey, newSegmentHeader(), key);
    const signal = options.signal ? { signal: options.signal } : {};
    await this.#inner.put(key, ciphertext, signal);
    try {
      await this.#inner.put(sidecarKeyOf(key), wrapDataKey(dataKey, key, this.#keyring.current), signal);
    } catch (error) {
      await this.delete(key).catch(() => {});
      throw error;
    }
    return { size: count.bytes };
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    validateUserKey(key);
    // Both requests at once: on S3 that saves a round trip per read.
    const [data, sidecar] = await Promise.allSettled([this.#inner.get(key, options), this.#readSidecar(key)]);
    if (data.status === 'rejected') throw data.reason;
    const ciphertext = data.value;
    let dataKey: Buffer;
    let masterKeyId: string;
    try {
      if (sidecar.status === 'rejected') throw sidecar.reason;
      if (sidecar.value === undefined) throw new ObjectTamperedError(key, 'its data key sidecar is missing');
      masterKeyId = sidecar.value.masterKeyId;
      dataKey = this.#unwrap(sidecar.value, key);
    } catch (error) {
      ciphertext.destroy();
      throw error;
    }
    const plaintext = Readable.from(decryptSegments(ciphertext, dataKey, key, masterKeyId), {
      objectMode: false,
    });
    // The generator only notices a destroyed reader at its next chunk; release the inner stream now.
    plaintext.once('close', () => ciphertext.destroy());
    return plaintext;
  }

  async delete(key: string): Promise<void> {
    validateUserKey(key);
    await this.#inner.delete(key);
    await this.#inner.delete(sidecarKeyOf(key));
  }

  async *list(prefix: string): AsyncIterable<string> {
    for await (const key of this.#inner.list(prefix)) {
      if (!key.endsWith(SIDECAR_SUFFIX)) yield key;
    }
  }

  /**
   * Re-wraps every object's data key with the current master key, without
   * rewriting the objects. Sidecars already under the current key are left
   * alone, so an interrupted rotation can simply be run again. Every master
   * key still in use must be in the keyring: the first missing one stops the
   * rotation with UnknownMasterKeyError, a sidecar that does not open stops it
   * with ObjectTamperedError. Run it while the objects under the
   * prefix are not being overwritten (a put racing the rewrap of the same key
   * can be left with the old data key).
   */
  async rotate(options: { prefix?: string } = {}): Promise<{ rewrapped: number; alreadyCurrent: number }> {
    const current = this.#keyring.current;
    let rewrapped = 0;
    let alreadyCurrent = 0;
    for await (const storedKey of this.#inner.list(options.prefix ?? '')) {
      if (!storedKey.endsWith(SIDECAR_SUFFIX)) continue;
      const key = storedKey.slice(0, -SIDECAR_SUFFIX.length);
      const sidecar = await this.#readSidecar(key);
      if (sidecar === undefined) continue; // deleted since it was listed
      if (sidecar.masterKeyId === current.id) {
        alreadyCurrent++;
        continue;
      }
      await this.#inner.put(storedKey, wrapDataKey(this.#unwrap(sidecar, key), key, current));
      rewrapped++;
    }
    return { rewrapped, alreadyCurrent };
  }

  /** The parsed sidecar of `key`, or undefined when there is none. */
  async #readSidecar(key: string): Promise<DataKeySidecar | undefined> {
    let stream: Readable;
    try {
      stream = await this.#inner.get(sidecarKeyOf(key));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
    const bytes = await readUpTo(stream, MAX_SIDECAR_BYTES);
    const sidecar = bytes && parseSidecar(bytes);
    if (!sidecar) throw new ObjectTamperedError(key, 'its data key sidecar is malformed');
    return sidecar;
  }

  #unwrap(sidecar: DataKeySidecar, key: string): Buffer {
    const masterKey = this.#keyring.find(sidecar.masterKeyId);
    if (masterKey === undefined)
      throw new UnknownMasterKeyError(key, sidecar.masterKeyId, this.#keyring.current.id);
    const dataKey = unwrapDataKey(sidecar, key, masterKey);
    if (dataKey === undefined) {
      throw new ObjectTamperedError(key, 'its data key did not unwrap', sidecar.masterKeyId);
    }
    return dataKey;
  }
}

function validateUserKey(key: string): void {
  validateObjectKey(key);
  if (key.endsWith(SIDECAR_SUFFIX)) {
    throw new InvalidObjectKeyError(
      key,
      `keys ending in '${SIDECAR_SUFFIX}' are reserved for data key sidecars`,
    );
  }
}

/** The whole stream, or undefined (and the stream destroyed) once it exceeds `limit` bytes. */
async function readUpTo(stream: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) return undefined; // leaving the loop destroys the stream
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}
