/**
 * Every way of changing an encrypted object at rest fails with
 * ObjectTamperedError, and the reader never receives a byte of the segment
 * that failed: what it gets before the error is an exact prefix of the
 * plaintext that ends at or before that segment.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSidecar, unwrapDataKey, wrapDataKey } from '../src/encryption/data-key-sidecar.js';
import { type EncryptedObjectStore, Keyring, LocalObjectStore, ObjectTamperedError } from '../src/index.js';
import { readAll, readUntilError } from './support/bytes.js';
import { encrypted, temporaryDir } from './support/fixtures.js';

const SEGMENT = 64 * 1024;
const SEALED_SEGMENT = SEGMENT + 16;
const HEADER = 16;
/** Three full segments and a short last one. */
const PLAINTEXT = randomBytes(3 * SEGMENT + 1000);

/** Where segment `index` starts in the stored object. */
const segmentOffset = (index: number) => HEADER + index * SEALED_SEGMENT;

describe('EncryptedObjectStore against tampering', () => {
  let temp: Awaited<ReturnType<typeof temporaryDir>>;
  let inner: LocalObjectStore;
  let keyring: Keyring;
  let store: EncryptedObjectStore;
  let serial = 0;

  const raw = async (key: string) => readAll(await inner.get(key));

  /** A fresh object holding PLAINTEXT, and its stored bytes. */
  async function written(): Promise<{ key: string; data: Buffer; sidecar: Buffer }> {
    const key = `tamper/${serial++}`;
    await store.put(key, PLAINTEXT);
    return { key, data: await raw(key), sidecar: await raw(`${key}.dek`) };
  }

  /** Reads `key`, expecting ObjectTamperedError at segment `badSegment` or earlier. */
  async function expectTamperedFrom(key: string, badSegment: number): Promise<void> {
    const { received, error } = await readUntilError(await store.get(key));
    expect(error).toBeInstanceOf(ObjectTamperedError);
    expect(received.length).toBeLessThanOrEqual(badSegment * SEGMENT);
    expect(received.equals(PLAINTEXT.subarray(0, received.length))).toBe(true);
  }

  beforeAll(async () => {
    temp = await temporaryDir();
    inner = new LocalObjectStore({ dir: temp.dir });
    keyring = new Keyring(randomBytes(32));
    store = encrypted(inner, keyring);
  });
  afterAll(() => temp?.remove());

  it('reads back an untouched object', async () => {
    const { key, data } = await written();
    expect(data.length).toBe(HEADER + 4 * 16 + PLAINTEXT.length);
    expect((await readAll(await store.get(key))).equals(PLAINTEXT)).toBe(true);
  });

  it('stops at a flipped bit in a middle segment, having released only the segments before it', async () => {
    const { key, data } = await written();
    data[segmentOffset(2) + 100]! ^= 0x01;
    await inner.put(key, data);
    const { received, error } = await readUntilError(await store.get(key));
    expect(error).toBeInstanceOf(ObjectTamperedError);
    expect((error as Error).message).toMatch(/segment 2 failed authentication/);
    expect(received.equals(PLAINTEXT.subarray(0, received.length))).toBe(true);
    expect(received.length).toBeLessThanOrEqual(2 * SEGMENT);
  });

  it('stops at a flipped bit in a tag', async () => {
    const { key, data } = await written();
    data[segmentOffset(1) + SEALED_SEGMENT - 1]! ^= 0x80;
    await inner.put(key, data);
    await expectTamperedFrom(key, 1);
  });

  it('stops at an altered header, before any plaintext', async () => {
    const { key, data } = await written();
    data[10]! ^= 0x01; // inside the nonce prefix
    await inner.put(key, data);
    await expectTamperedFrom(key, 0);
  });

  it('rejects a header claiming another segment size', async () => {
    const { key, data } = await written();
    data.writeUInt32BE(32 * 1024, 5);
    await inner.put(key, data);
    await expectTamperedFrom(key, 0);
  });

  it('notices the last segment cut off at a segment boundary', async () => {
    const { key, data } = await written();
    await inner.put(key, data.subarray(0, segmentOffset(3)));
    await expectTamperedFrom(key, 2);
  });

  it('notices the last segment cut short', async () => {
    const { key, data } = await written();
    await inner.put(key, data.subarray(0, data.length - 10));
    await expectTamperedFrom(key, 3);
  });

  it('notices an object cut down to its header, or inside it', async () => {
    const { key, data } = await written();
    await inner.put(key, data.subarray(0, HEADER));
    await expectTamperedFrom(key, 0);
    await inner.put(key, data.subarray(0, HEADER - 1));
    await expectTamperedFrom(key, 0);
  });

  it('notices swapped segments', async () => {
    const { key, data } = await written();
    const first = Buffer.from(data.subarray(segmentOffset(0), segmentOffset(1)));
    data.copy(data, segmentOffset(0), segmentOffset(1), segmentOffset(2));
    first.copy(data, segmentOffset(1));
    await inner.put(key, data);
    await expectTamperedFrom(key, 0);
  });

  it('notices a segment appended after the last', async () => {
    const { key, data } = await written();
    await inner.put(key, Buffer.concat([data, data.subarray(segmentOffset(1), segmentOffset(2))]));
    await expectTamperedFrom(key, 3);
  });

  it('notices an object whose full last segment was dropped (a size that is a multiple of the segment)', async () => {
    const key = `tamper/${serial++}`;
    const exact = PLAINTEXT.subarray(0, 2 * SEGMENT);
    await store.put(key, exact);
    expect((await readAll(await store.get(key))).equals(exact)).toBe(true);
    const data = await raw(key);
    expect(data.length).toBe(segmentOffset(2));
    await inner.put(key, data.subarray(0, segmentOffset(1)));
    await expectTamperedFrom(key, 0);
  });

  describe('the data key sidecar', () => {
    it('missing', async () => {
      const { key } = await written();
      await inner.delete(`${key}.dek`);
      await expect(store.get(key)).rejects.toThrow(ObjectTamperedError);
      await expect(store.get(key)).rejects.toThrow(/sidecar is missing/);
    });

    it('not JSON, or with a field removed', async () => {
      const { key, sidecar } = await written();
      await inner.put(`${key}.dek`, Buffer.from('{"version":1'));
      await expect(store.get(key)).rejects.toThrow(/sidecar is malformed/);
      const { tag: _, ...withoutTag } = JSON.parse(sidecar.toString());
      await inner.put(`${key}.dek`, Buffer.from(JSON.stringify(withoutTag)));
      await expect(store.get(key)).rejects.toThrow(ObjectTamperedError);
    });

    it('with an altered wrapped key', async () => {
      const { key, sidecar } = await written();
      const parsed = JSON.parse(sidecar.toString());
      const wrapped = Buffer.from(parsed.wrappedKey, 'base64');
      wrapped[0]! ^= 0x01;
      await inner.put(
        `${key}.dek`,
        Buffer.from(JSON.stringify({ ...parsed, wrappedKey: wrapped.toString('base64') })),
      );
      const error = await store.get(key).catch((caught) => caught);
      expect(error).toBeInstanceOf(ObjectTamperedError);
      expect(error.message).toContain(`master key '${keyring.current.id}'`);
      expect(error.message).toContain(key);
    });

    it('from another object', async () => {
      const first = await written();
      const second = await written();
      await inner.put(`${first.key}.dek`, second.sidecar);
      await expect(store.get(first.key)).rejects.toThrow(ObjectTamperedError);
    });

    it('claiming another master key of the keyring', async () => {
      const previous = randomBytes(32);
      const both = new Keyring(keyring.current.key, [previous]);
      const bothStore = encrypted(inner, both);
      const { key, sidecar } = await written();
      const parsed = JSON.parse(sidecar.toString());
      const otherId = new Keyring(previous).current.id;
      await inner.put(`${key}.dek`, Buffer.from(JSON.stringify({ ...parsed, masterKeyId: otherId })));
      await expect(bothStore.get(key)).rejects.toThrow(ObjectTamperedError);
    });

    it('paired with a data object written later under the same key', async () => {
      const { key, sidecar } = await written();
      await store.put(key, PLAINTEXT);
      await inner.put(`${key}.dek`, sidecar);
      await expectTamperedFrom(key, 0);
    });
  });

  it('refuses an object and its sidecar copied under another key', async () => {
    const { data, sidecar } = await written();
    const copy = `tamper/copy-${serial++}`;
    await inner.put(copy, data);
    await inner.put(`${copy}.dek`, sidecar);
    await expect(store.get(copy)).rejects.toThrow(ObjectTamperedError);
  });

  it('refuses an object moved under another key even with a valid sidecar for that key', async () => {
    // Someone holding the master key could rewrap the data key for the new name; every segment's AAD still names the old one.
    const { key, data, sidecar } = await written();
    const dataKey = unwrapDataKey(parseSidecar(sidecar)!, key, keyring.current)!;
    const moved = `tamper/moved-${serial++}`;
    await inner.put(moved, data);
    await inner.put(`${moved}.dek`, wrapDataKey(dataKey, moved, keyring.current));
    await expectTamperedFrom(moved, 0);
  });
});
