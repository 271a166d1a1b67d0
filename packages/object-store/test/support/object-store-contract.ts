import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, ObjectNotFoundError, type ObjectStore } from '../../src/index.js';
import { chunked, readAll } from './bytes.js';

export interface StoreFixture {
  store: ObjectStore;
  close(): Promise<void>;
}

/** Keys every backend must refuse, with what is wrong with each. */
export const BAD_KEYS: Record<string, string> = {
  empty: '',
  absolute: '/etc/passwd',
  'parent segment': '../outside',
  'inner parent segment': 'a/../../outside',
  'dot segment': 'a/./b',
  'empty segment': 'a//b',
  'trailing slash': 'a/',
  NUL: 'a\0b',
  'control character': 'a\nb',
  backslash: 'a\\..\\b',
  'unpaired surrogate': 'a\ud800b',
  'over 1024 bytes': 'x'.repeat(1025),
};

const collect = async (keys: AsyncIterable<string>) => {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all.sort();
};

/**
 * The behaviour every ObjectStore promises, run against each implementation.
 * Each test writes under its own prefix, so one store serves the whole suite.
 */
export function describeObjectStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fixture: StoreFixture;
    let store: ObjectStore;
    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterAll(() => fixture?.close());

    it('returns what was put, from a Buffer, a Readable or an async iterable of Uint8Array', async () => {
      const bytes = randomBytes(200_000);
      expect(await store.put('round-trip/buffer', bytes)).toEqual({ size: bytes.length });
      expect(await store.put('round-trip/readable', Readable.from(chunked(bytes, 7_000)))).toEqual({
        size: bytes.length,
      });
      expect(
        await store.put('round-trip/iterable', chunked(bytes, 65_536), { contentType: 'image/png' }),
      ).toEqual({
        size: bytes.length,
      });
      for (const key of ['round-trip/buffer', 'round-trip/readable', 'round-trip/iterable']) {
        expect((await readAll(await store.get(key))).equals(bytes)).toBe(true);
      }
    });

    it('keeps keys with spaces, unicode and dots in names', async () => {
      const key = 'names/tenant 1/файл.résumé.tar.gz';
      await store.put(key, Buffer.from('ok'));
      expect((await readAll(await store.get(key))).toString()).toBe('ok');
    });

    it('stores empty objects', async () => {
      expect(await store.put('empty/buffer', Buffer.alloc(0))).toEqual({ size: 0 });
      expect(await store.put('empty/stream', Readable.from([]))).toEqual({ size: 0 });
      expect((await readAll(await store.get('empty/buffer'))).length).toBe(0);
      expect((await readAll(await store.get('empty/stream'))).length).toBe(0);
    });

    it('replaces an object on overwrite', async () => {
      await store.put('overwrite/key', Buffer.from('first version, longer'));
      await store.put('overwrite/key', Buffer.from('second'));
      expect((await readAll(await store.get('overwrite/key'))).toString()).toBe('second');
    });

    it('rejects a missing key with ObjectNotFoundError', async () => {
      await expect(store.get('missing/never-written')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.get('missing/never-written')).rejects.toMatchObject({
        key: 'missing/never-written',
      });
    });

    it('deletes, and deleting again or deleting what never existed is fine', async () => {
      await store.put('delete/key', Buffer.from('x'));
      await store.delete('delete/key');
      await expect(store.get('delete/key')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await store.delete('delete/key');
      await store.delete('delete/never-written');
    });

    it('lists the keys that start with a prefix', async () => {
      for (const key of ['list/a/1', 'list/a/2/deep', 'list/ab', 'list/b/1', 'other/list/a']) {
        await store.put(key, Buffer.from(key));
      }
      expect(await collect(store.list('list/a/'))).toEqual(['list/a/1', 'list/a/2/deep']);
      expect(await collect(store.list('list/a'))).toEqual(['list/a/1', 'list/a/2/deep', 'list/ab']);
      expect(await collect(store.list('list/'))).toEqual([
        'list/a/1',
        'list/a/2/deep',
        'list/ab',
        'list/b/1',
      ]);
      expect(await collect(store.list('list/none'))).toEqual([]);
      expect(await collect(store.list('nothing-here/'))).toEqual([]);
      const everything = await collect(store.list(''));
      expect(everything).toEqual(expect.arrayContaining(['list/ab', 'other/list/a']));
    });

    it('stops listing a key once it is deleted', async () => {
      await store.put('list-delete/a', Buffer.from('a'));
      await store.put('list-delete/b', Buffer.from('b'));
      await store.delete('list-delete/a');
      expect(await collect(store.list('list-delete/'))).toEqual(['list-delete/b']);
    });

    describe('refuses bad keys', () => {
      for (const [problem, key] of Object.entries(BAD_KEYS)) {
        it(`${problem}: put, get, delete`, async () => {
          await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
          await expect(store.get(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
          await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidObjectKeyError);
        });
      }

      it('and prefixes that climb out', async () => {
        await expect(collect(store.list('../'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        await expect(collect(store.list('/abs'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
      });
    });

    it('leaves no object when the body fails', async () => {
      await expect(store.put('failed/new', failingBody(100_000))).rejects.toThrow('body failed');
      await expect(store.get('failed/new')).rejects.toBeInstanceOf(ObjectNotFoundError);
      expect(await collect(store.list('failed/'))).toEqual([]);
    });

    it('keeps the previous version when an overwrite fails', async () => {
      await store.put('failed/existing', Buffer.from('previous'));
      await expect(store.put('failed/existing', failingBody(100_000))).rejects.toThrow('body failed');
      expect((await readAll(await store.get('failed/existing'))).toString()).toBe('previous');
    });

    it('rejects an aborted put with the reason and leaves no object', async () => {
      const controller = new AbortController();
      const reason = new Error('client went away');
      const body = stallingBody(100_000, controller.signal);
      setTimeout(() => controller.abort(reason), 50);
      await expect(store.put('aborted/key', body, { signal: controller.signal })).rejects.toBe(reason);
      await expect(store.get('aborted/key')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('ends a read with the reason when its signal aborts', async () => {
      await store.put('abort-read/key', randomBytes(2_000_000));
      const controller = new AbortController();
      const stream = await store.get('abort-read/key', { signal: controller.signal });
      controller.abort(new Error('stop reading'));
      await expect(readAll(stream)).rejects.toThrow();
    });
  });
}

/** Yields `bytes` random bytes, then throws. */
async function* failingBody(bytes: number): AsyncGenerator<Uint8Array> {
  yield randomBytes(bytes);
  throw new Error('body failed');
}

/** Yields `bytes` random bytes, then waits until `signal` aborts, as a client that stops sending would. */
async function* stallingBody(bytes: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  yield randomBytes(bytes);
  await new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );
}
