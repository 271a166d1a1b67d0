import { randomBytes } from 'node:crypto';
import { type S3TestServer, startS3TestServer } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncryptedObjectStore,
  Keyring,
  LocalObjectStore,
  type ObjectStore,
  UnknownMasterKeyError,
} from '../src/index.js';
import { readAll } from './support/bytes.js';
import { s3Store, temporaryDir } from './support/fixtures.js';
import type { StoreFixture } from './support/object-store-contract.js';

const KEYS = ['docs/a', 'docs/b/c', 'docs/empty', 'other/d'];

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(() => s3?.close());

const BACKENDS: [string, () => Promise<StoreFixture>][] = [
  [
    'LocalObjectStore',
    async () => {
      const temp = await temporaryDir();
      return { store: new LocalObjectStore({ dir: temp.dir }), close: temp.remove };
    },
  ],
  ['S3ObjectStore (s3rver)', async () => ({ store: s3Store(s3, 'rotation'), close: async () => {} })],
];

describe.each(BACKENDS)('master key rotation over %s', (_, open) => {
  let fixture: StoreFixture;
  let inner: ObjectStore;
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const idA = new Keyring(keyA).current.id;
  const idB = new Keyring(keyB).current.id;
  const contents = new Map(
    KEYS.map((key) => [key, key === 'docs/empty' ? Buffer.alloc(0) : randomBytes(150_000)]),
  );

  const raw = async (key: string) => readAll(await inner.get(key));
  const sidecarOf = async (key: string) => JSON.parse((await raw(`${key}.dek`)).toString());

  beforeAll(async () => {
    fixture = await open();
    inner = fixture.store;
    const withA = new EncryptedObjectStore(inner, new Keyring(keyA));
    for (const [key, bytes] of contents) await withA.put(key, bytes);
  });
  afterAll(() => fixture?.close());

  it('cannot read objects with a keyring that lacks their key, and says which key is missing', async () => {
    const withB = new EncryptedObjectStore(inner, new Keyring(keyB));
    const error = await withB.get('docs/a').catch((caught) => caught);
    expect(error).toBeInstanceOf(UnknownMasterKeyError);
    expect(error.masterKeyId).toBe(idA);
    expect(error.message).toContain(`master key '${idA}'`);
    await expect(withB.rotate()).rejects.toThrow(idA);
  });

  it('rewraps only the sidecars under a prefix, leaving every data object byte for byte', async () => {
    const dataBefore = new Map(await Promise.all(KEYS.map(async (key) => [key, await raw(key)] as const)));
    const rotating = new EncryptedObjectStore(inner, new Keyring(keyB, [keyA]));

    expect(await rotating.rotate({ prefix: 'docs/' })).toEqual({ rewrapped: 3, alreadyCurrent: 0 });
    expect((await sidecarOf('docs/a')).masterKeyId).toBe(idB);
    expect((await sidecarOf('other/d')).masterKeyId).toBe(idA);

    expect(await rotating.rotate()).toEqual({ rewrapped: 1, alreadyCurrent: 3 });
    expect(await rotating.rotate()).toEqual({ rewrapped: 0, alreadyCurrent: 4 });
    for (const key of KEYS) {
      expect((await raw(key)).equals(dataBefore.get(key)!)).toBe(true);
      expect((await sidecarOf(key)).masterKeyId).toBe(idB);
    }
  });

  it('leaves every object readable with the new key alone', async () => {
    const withB = new EncryptedObjectStore(inner, new Keyring(keyB));
    for (const [key, bytes] of contents)
      expect((await readAll(await withB.get(key))).equals(bytes)).toBe(true);
  });

  it('no longer opens with the old key alone', async () => {
    const withA = new EncryptedObjectStore(inner, new Keyring(keyA));
    await expect(withA.get('docs/a')).rejects.toThrow(`master key '${idB}'`);
  });
});
