/**
 * A 64 MiB object through every backend, generated on the fly and never
 * held whole: the tests measure how far the producer ever gets ahead of the
 * bytes that reached storage (the file being written, or the wire to S3),
 * and on the way back how far storage gets ahead of the reader, and compare
 * SHA-256 digests of what went in and what came out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { type S3TestServer, startS3TestServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore, type ObjectStore } from '../src/index.js';
import { type CountingProxy, startCountingProxy } from './support/counting-proxy.js';
import { encrypted, s3Store, temporaryDir } from './support/fixtures.js';
import { ReadCountingStore } from './support/read-counting-store.js';

const MiB = 1024 * 1024;
const OBJECT_SIZE = 64 * MiB;
const CHUNK_SIZE = 256 * 1024;

interface Measured {
  maxLead: number;
  digest: string;
  /** Largest single chunk handed to the reader (get only). */
  maxChunk: number;
}

/** Puts OBJECT_SIZE random bytes, measuring after each chunk how many have been produced but not yet stored. */
async function putGenerated(
  store: ObjectStore,
  key: string,
  bytesStored: () => Promise<number>,
): Promise<Measured> {
  const hash = createHash('sha256');
  let maxLead = 0;
  async function* body(): AsyncGenerator<Buffer> {
    let produced = 0;
    while (produced < OBJECT_SIZE) {
      const chunk = randomBytes(Math.min(CHUNK_SIZE, OBJECT_SIZE - produced));
      hash.update(chunk);
      produced += chunk.length;
      yield chunk;
      maxLead = Math.max(maxLead, produced - (await bytesStored()));
    }
  }
  expect(await store.put(key, body())).toEqual({ size: OBJECT_SIZE });
  return { maxLead, digest: hash.digest('hex'), maxChunk: 0 };
}

/** Reads an object, measuring after each chunk how many bytes storage has served beyond what the reader has. */
async function getMeasured(store: ObjectStore, key: string, bytesServed?: () => number): Promise<Measured> {
  const hash = createHash('sha256');
  let delivered = 0;
  let maxLead = 0;
  let maxChunk = 0;
  for await (const chunk of (await store.get(key)) as Readable & AsyncIterable<Buffer>) {
    hash.update(chunk);
    delivered += chunk.length;
    maxChunk = Math.max(maxChunk, chunk.length);
    if (bytesServed) maxLead = Math.max(maxLead, bytesServed() - delivered);
  }
  expect(delivered).toBe(OBJECT_SIZE);
  return { maxLead, digest: hash.digest('hex'), maxChunk };
}

/** Bytes written so far to the local store's files under `.incoming` and in place. */
function localBytesStored(dir: string, key: string): () => Promise<number> {
  return async () => {
    const incoming = join(dir, '.incoming');
    const temps = await readdir(incoming).catch(() => []);
    const sizes = await Promise.all(
      [...temps.map((name) => join(incoming, name)), join(dir, key)].map((path) =>
        stat(path).then(
          (stats) => stats.size,
          () => 0,
        ),
      ),
    );
    return sizes.reduce((sum, size) => sum + size, 0);
  };
}

describe('a 64 MiB object', () => {
  let s3: S3TestServer;
  let proxy: CountingProxy;
  let local: { dir: string; remove(): Promise<void> };
  beforeAll(async () => {
    s3 = await startS3TestServer();
    proxy = await startCountingProxy(s3.port);
    local = await temporaryDir();
  });
  afterAll(async () => {
    await proxy?.close();
    await s3?.close();
    await local?.remove();
  });

  it('streams through LocalObjectStore', async () => {
    const store = new LocalObjectStore({ dir: join(local.dir, 'plain') });
    const put = await putGenerated(store, 'big', localBytesStored(join(local.dir, 'plain'), 'big'));
    const got = await getMeasured(store, 'big');
    expect(got.digest).toBe(put.digest);
    expect(put.maxLead).toBeLessThan(4 * MiB);
    expect(got.maxChunk).toBeLessThanOrEqual(MiB);
  });

  it('streams through EncryptedObjectStore over LocalObjectStore, a segment at a time', async () => {
    const dir = join(local.dir, 'encrypted');
    const inner = new ReadCountingStore(new LocalObjectStore({ dir }));
    const store = encrypted(inner);
    const put = await putGenerated(store, 'big', localBytesStored(dir, 'big'));
    const got = await getMeasured(store, 'big', () => inner.bytesRead);
    expect(got.digest).toBe(put.digest);
    expect(put.maxLead).toBeLessThan(4 * MiB);
    expect(got.maxLead).toBeLessThan(MiB);
    expect(got.maxChunk).toBeLessThanOrEqual(64 * 1024);
  });

  it('streams through S3ObjectStore as a multipart upload', async () => {
    const store = s3Store(s3, 'large-plain', proxy.port);
    const sentBefore = proxy.bytesToServer;
    const put = await putGenerated(store, 'big', async () => proxy.bytesToServer - sentBefore);
    const upload = proxy.requests.filter((request) => request.includes('/large-plain/big?'));
    expect(upload[0]).toMatch(/^POST .*\?uploads/);
    expect(upload.filter((request) => /^PUT .*partNumber=/.test(request))).toHaveLength(
      OBJECT_SIZE / (8 * MiB),
    );
    expect(upload.at(-1)).toMatch(/^POST .*\?uploadId=/);
    const receivedBefore = proxy.bytesToClient;
    const got = await getMeasured(store, 'big', () => proxy.bytesToClient - receivedBefore);
    expect(got.digest).toBe(put.digest);
    // Up to three 8 MiB parts are in memory at once (see S3ObjectStore), plus what sits in socket buffers.
    expect(put.maxLead).toBeLessThan(32 * MiB);
    expect(got.maxLead).toBeLessThan(16 * MiB);
  });

  it('streams through EncryptedObjectStore over S3ObjectStore', async () => {
    const store = encrypted(s3Store(s3, 'large-encrypted', proxy.port));
    const sentBefore = proxy.bytesToServer;
    const put = await putGenerated(store, 'big', async () => proxy.bytesToServer - sentBefore);
    const receivedBefore = proxy.bytesToClient;
    const got = await getMeasured(store, 'big', () => proxy.bytesToClient - receivedBefore);
    expect(got.digest).toBe(put.digest);
    expect(put.maxLead).toBeLessThan(32 * MiB);
    expect(got.maxLead).toBeLessThan(16 * MiB);
  });
});
