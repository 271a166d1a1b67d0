import type { Readable } from 'node:stream';

/** What an object's bytes may come from. */
export type ObjectBody = Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface PutOptions {
  /** Recorded by backends that keep a content type (S3); the encrypted store stores ciphertext and drops it. */
  contentType?: string;
  /** Aborting rejects the put with the signal's reason and leaves no partial object. */
  signal?: AbortSignal;
}

export interface GetOptions {
  signal?: AbortSignal;
}

/**
 * Blobs by key: uploaded files, screenshots, tool outputs. Keys are
 * `/`-separated paths (see object-key.ts for the rules every backend
 * enforces). Implementations: LocalObjectStore, S3ObjectStore, and
 * EncryptedObjectStore over either.
 */
export interface ObjectStore {
  /** Streams the body to `key`; never buffers the whole body. Returns bytes written (plaintext size for the encrypted store). */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ size: number }>;
  /** A stream of the object's bytes; rejects with ObjectNotFoundError when absent. */
  get(key: string, options?: GetOptions): Promise<Readable>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix (for rotation and maintenance), in no particular order. */
  list(prefix: string): AsyncIterable<string>;
}
