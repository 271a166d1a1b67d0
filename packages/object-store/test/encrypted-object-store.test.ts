import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncryptedObjectStore,
  InvalidObjectKeyError,
  Keyring,
  LocalObjectStore,
  type ObjectBody,
  ObjectNotFoundError,
  type PutOptions,
} from '../src/index.js';
import { readAll } from './support/bytes.js';
import { temporaryDir } from './support/fixtures.js';

/** A LocalObjectStore that records each put and can be told to fail puts of sidecars. */
class RecordingStore extends LocalObjectStore {
  puts: { key: string; options: PutOptions | undefined }[] = [];
  failSidecars = false;

  override async put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ size: number }> {
    this.puts.push({ key, options });
    if (this.failSidecars && key.endsWith('.dek')) throw new Error('sidecar write failed');
    return super.put(key, body, options);
  }
}

describe('EncryptedObjectStore', () => {
  let temp: Awaited<ReturnType<typeof temporaryDir>>;
  let inner: RecordingStore;
  let keyring: Keyring;
  let store: EncryptedObjectStore;
  const raw = async (key: string) => readAll(await inner.get(key));

  beforeAll(async () => {
    temp = await temporaryDir();
    inner = new RecordingStore({ dir: temp.dir });
    keyring = new Keyring(randomBytes(32));
    store = new EncryptedObjectStore(inner, keyring);
  });
  afterAll(() => temp?.remove());

  it('stores ciphertext, then a sidecar naming the current master key', async () => {
    inner.puts = [];
    const plaintext = Buffer.alloc(100_000, 'A');
    expect(await store.put('doc', plaintext, { contentType: 'text/plain' })).toEqual({ size: 100_000 });
    expect(inner.puts.map((put) => put.key)).toEqual(['doc', 'doc.dek']);
    expect(inner.puts[0]?.options?.contentType).toBeUndefined();

    const stored = await raw('doc');
    expect(stored.subarray(0, 4).toString()).toBe('AGDO');
    expect(stored.length).toBe(16 + 2 * 16 + 100_000);
    expect(stored.includes(Buffer.alloc(64, 'A'))).toBe(false);

    const sidecar = JSON.parse((await raw('doc.dek')).toString());
    expect(sidecar).toEqual({
      version: 1,
      masterKeyId: keyring.current.id,
      nonce: expect.any(String),
      wrappedKey: expect.any(String),
      tag: expect.any(String),
    });
    expect(Buffer.from(sidecar.wrappedKey, 'base64')).toHaveLength(32);
  });

  it('encrypts the same plaintext differently each time', async () => {
    const plaintext = randomBytes(1000);
    await store.put('same/1', plaintext);
    await store.put('same/2', plaintext);
    expect((await raw('same/1')).equals(await raw('same/2'))).toBe(false);
  });

  it("reserves keys ending in '.dek' and hides sidecars from listings", async () => {
    await expect(store.put('notes.dek', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.get('doc.dek')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.delete('doc.dek')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await store.put('listed/a', Buffer.from('x'));
    const keys: string[] = [];
    for await (const key of store.list('listed/')) keys.push(key);
    expect(keys).toEqual(['listed/a']);
  });

  it('deletes the sidecar with the object', async () => {
    await store.put('deleted', Buffer.from('x'));
    await store.delete('deleted');
    await expect(inner.get('deleted')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(inner.get('deleted.dek')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('removes the object again when its sidecar cannot be written', async () => {
    inner.failSidecars = true;
    try {
      await expect(store.put('no-sidecar', Buffer.from('x'))).rejects.toThrow('sidecar write failed');
    } finally {
      inner.failSidecars = false;
    }
    await expect(inner.get('no-sidecar')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.get('no-sidecar')).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});
