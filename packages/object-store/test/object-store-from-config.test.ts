import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalObjectStore, ObjectStoreError, objectStoreFromConfig, S3ObjectStore } from '../src/index.js';
import { readAll } from './support/bytes.js';
import { temporaryDir } from './support/fixtures.js';

describe('objectStoreFromConfig', () => {
  it('keeps objects under <dataDir>/objects by default', async () => {
    const temp = await temporaryDir();
    try {
      const store = objectStoreFromConfig({ dataDir: temp.dir });
      expect(store).toBeInstanceOf(LocalObjectStore);
      await store.put('a/b', Buffer.from('x'));
      const direct = new LocalObjectStore({ dir: join(temp.dir, 'objects') });
      expect((await readAll(await direct.get('a/b'))).toString()).toBe('x');
    } finally {
      await temp.remove();
    }
  });

  it('builds an S3 store from the S3_ settings', () => {
    const store = objectStoreFromConfig({
      AGENTD_OBJECT_STORE: 's3',
      dataDir: '/unused',
      S3_BUCKET: 'bucket',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: true,
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_PREFIX: 'agentd',
    });
    expect(store).toBeInstanceOf(S3ObjectStore);
  });

  it('names the missing or inconsistent setting', () => {
    const s3 = { AGENTD_OBJECT_STORE: 's3' as const, dataDir: '/unused' };
    expect(() => objectStoreFromConfig(s3)).toThrow(/needs S3_BUCKET/);
    expect(() => objectStoreFromConfig({ ...s3, S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toThrow(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/,
    );
    expect(() => objectStoreFromConfig({ dataDir: '/x', AGENTD_OBJECT_STORE: 'gcs' as 's3' })).toThrow(
      ObjectStoreError,
    );
  });
});
