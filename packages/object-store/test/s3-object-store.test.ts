import { randomBytes } from 'node:crypto';
import { type S3TestServer, startS3TestServer } from '@agentd/testing';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, ObjectStoreError, S3ObjectStore } from '../src/index.js';
import { readAll } from './support/bytes.js';
import { s3Store } from './support/fixtures.js';

const collect = async (keys: AsyncIterable<string>) => {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all.sort();
};

describe('S3ObjectStore', () => {
  let s3: S3TestServer;
  beforeAll(async () => {
    s3 = await startS3TestServer();
  });
  afterAll(() => s3?.close());

  it('keeps its objects under its prefix, and lists keys without it', async () => {
    const tenant = s3Store(s3, '/tenant-1/');
    await tenant.put('docs/a', Buffer.from('a'));
    expect(await collect(tenant.list('docs/'))).toEqual(['docs/a']);
    expect(await collect(s3Store(s3, '').list('tenant-1/'))).toEqual(['tenant-1/docs/a']);
    expect(await collect(s3Store(s3, 'tenant-2').list(''))).toEqual([]);
    expect((await readAll(await s3Store(s3, 'tenant-1').get('docs/a'))).toString()).toBe('a');
  });

  it("reports a failing body's own error from a multipart upload, and leaves no object", async () => {
    // s3rver does not implement AbortMultipartUpload, so the SDK's clean-up fails with MethodNotAllowed.
    const store = s3Store(s3, 'multipart-failure');
    async function* body() {
      for (let part = 0; part < 3; part++) yield randomBytes(8 * 1024 * 1024);
      throw new Error('body failed');
    }
    await expect(store.put('big', body())).rejects.toThrow('body failed');
    await expect(store.get('big')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('rejects an aborted multipart upload with the reason, and leaves no object', async () => {
    const store = s3Store(s3, 'multipart-abort');
    const controller = new AbortController();
    const reason = new Error('client went away');
    async function* body() {
      for (let part = 0; part < 3; part++) yield randomBytes(8 * 1024 * 1024);
      controller.abort(reason);
      for (let part = 0; part < 3; part++) yield randomBytes(8 * 1024 * 1024);
    }
    await expect(store.put('big', body(), { signal: controller.signal })).rejects.toBe(reason);
    await expect(store.get('big')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('records the content type', async () => {
    const store = s3Store(s3, 'typed');
    await store.put('page.html', Buffer.from('<p>hi</p>'), { contentType: 'text/html' });
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const head = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: 'typed/page.html' }));
    expect(head.ContentType).toBe('text/html');
    client.destroy();
  });

  it('reports a missing bucket as the S3 error it is, not as a missing object', async () => {
    const store = new S3ObjectStore({
      bucket: 'no-such-bucket',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    });
    const error = await store.get('a').catch((caught) => caught);
    expect(error).not.toBeInstanceOf(ObjectNotFoundError);
    expect(error.name).toBe('NoSuchBucket');
  });

  it('wants both credentials or neither', () => {
    expect(() => new S3ObjectStore({ bucket: 'b', accessKeyId: 'id' })).toThrow(ObjectStoreError);
  });
});
