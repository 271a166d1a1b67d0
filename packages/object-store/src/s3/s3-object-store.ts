import { addAbortSignal, Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { bodyChunks, countBytes } from '../body-chunks.js';
import { ObjectNotFoundError } from '../errors.js';
import { validateKeyPrefix, validateObjectKey } from '../object-key.js';
import type { GetOptions, ObjectBody, ObjectStore, PutOptions } from '../object-store.js';
import { awsSdk } from './aws-sdk.js';
import { createS3Client, type S3ConnectionOptions } from './s3-client.js';

/**
 * Multipart upload tuning. An upload holds at most (QUEUE_SIZE + 1) parts in
 * memory (24 MiB), and S3's 10,000-part limit caps an object at about 78 GiB.
 */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

export interface S3ObjectStoreOptions extends S3ConnectionOptions {
  bucket: string;
  /** Prepended to every key, e.g. `agentd/` to share a bucket; a missing trailing `/` is added. */
  prefix?: string;
}

/**
 * Objects in an S3 bucket, through the official AWS SDK v3. Bodies are
 * streamed with @aws-sdk/lib-storage's Upload: one PutObject for bodies up to
 * one part, a multipart upload beyond that, which becomes visible only when
 * completed and is aborted on failure. Aborting a put stops it between
 * requests; a single-request upload already on the wire may still complete.
 */
export class S3ObjectStore implements ObjectStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3ObjectStoreOptions) {
    this.#client = createS3Client(options);
    this.#bucket = options.bucket;
    this.#prefix = normalizePrefix(options.prefix);
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ size: number }> {
    const { signal } = options;
    const objectKey = this.#objectKey(key);
    signal?.throwIfAborted();
    const count = { bytes: 0 };
    const source = Readable.from(countBytes(bodyChunks(body), count), { objectMode: false });
    const abortController = new AbortController();
    const upload = new (awsSdk().storage.Upload)({
      client: this.#client,
      params: {
        Bucket: this.#bucket,
        Key: objectKey,
        Body: signal ? addAbortSignal(signal, source) : source,
        ...(options.contentType ? { ContentType: options.contentType } : {}),
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      abortController,
    });
    const onAbort = () => abortController.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // A failing body explains more than the failed clean-up that some S3-compatible servers then report.
      throw source.errored ?? error;
    } finally {
      source.destroy();
      signal?.removeEventListener('abort', onAbort);
    }
    return { size: count.bytes };
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const objectKey = this.#objectKey(key);
    const response = await this.#client
      .send(
        new (awsSdk().s3.GetObjectCommand)({ Bucket: this.#bucket, Key: objectKey }),
        options.signal ? { abortSignal: options.signal } : {},
      )
      .catch((error) => {
        throw error instanceof awsSdk().s3.NoSuchKey ? new ObjectNotFoundError(key, { cause: error }) : error;
      });
    // In Node.js the SDK's body is the HTTP response stream.
    if (!(response.Body instanceof Readable))
      throw new Error(`S3 returned no body stream for '${objectKey}'`);
    return options.signal ? addAbortSignal(options.signal, response.Body) : response.Body;
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(
      new (awsSdk().s3.DeleteObjectCommand)({ Bucket: this.#bucket, Key: this.#objectKey(key) }),
    );
  }

  async *list(prefix: string): AsyncIterable<string> {
    validateKeyPrefix(prefix);
    const pages = awsSdk().s3.paginateListObjectsV2(
      { client: this.#client },
      { Bucket: this.#bucket, Prefix: this.#prefix + prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key.slice(this.#prefix.length);
      }
    }
  }

  #objectKey(key: string): string {
    validateObjectKey(key);
    return this.#prefix + key;
  }
}

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  validateKeyPrefix(`${trimmed}/`);
  return `${trimmed}/`;
}
