import { randomBytes } from 'node:crypto';
import { mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, LocalObjectStore, ObjectNotFoundError } from '../src/index.js';
import { readAll } from './support/bytes.js';
import { temporaryDir } from './support/fixtures.js';

describe('LocalObjectStore', () => {
  let temp: Awaited<ReturnType<typeof temporaryDir>>;
  let store: LocalObjectStore;
  beforeEach(async () => {
    temp = await temporaryDir();
    store = new LocalObjectStore({ dir: join(temp.dir, 'objects') });
  });
  afterEach(() => temp.remove());

  const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

  it('keeps key a/b as the file <dir>/a/b, owner-only', async () => {
    await store.put('a/b', Buffer.from('content'));
    const file = join(temp.dir, 'objects', 'a', 'b');
    expect((await readAll(await store.get('a/b'))).toString()).toBe('content');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(temp.dir, 'objects'))).toBe(0o700);
    expect(await modeOf(join(temp.dir, 'objects', 'a'))).toBe(0o700);
  });

  it('writes into .incoming and renames into place, so a reader never sees a partial object', async () => {
    await store.put('atomic', Buffer.from('old'));
    let release!: () => void;
    const halfway = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedHalfway!: () => void;
    const reached = new Promise<void>((resolve) => {
      reachedHalfway = resolve;
    });
    async function* body() {
      yield randomBytes(100_000);
      reachedHalfway();
      await halfway;
      yield Buffer.from('end');
    }
    const put = store.put('atomic', body());
    await reached;
    expect((await readAll(await store.get('atomic'))).toString()).toBe('old');
    expect(await readdir(join(temp.dir, 'objects', '.incoming'))).toHaveLength(1);
    release();
    expect(await put).toEqual({ size: 100_003 });
    expect((await readAll(await store.get('atomic'))).length).toBe(100_003);
    expect(await readdir(join(temp.dir, 'objects', '.incoming'))).toEqual([]);
  });

  it('removes its temp file when a put fails', async () => {
    async function* failing() {
      yield randomBytes(1000);
      throw new Error('body failed');
    }
    await expect(store.put('failed', failing())).rejects.toThrow('body failed');
    expect(await readdir(join(temp.dir, 'objects', '.incoming'))).toEqual([]);
  });

  it('reserves .incoming and hides it from listings', async () => {
    await store.put('visible', Buffer.from('x'));
    await expect(store.put('.incoming/x', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    await expect(store.get('.incoming')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys).toEqual(['visible']);
  });

  it('says so when a key and a key under it would both be files', async () => {
    await store.put('a', Buffer.from('file'));
    await expect(store.put('a/b', Buffer.from('x'))).rejects.toThrow(
      /parent path of this key is itself an object/,
    );
    await store.put('c/d', Buffer.from('x'));
    await expect(store.put('c', Buffer.from('x'))).rejects.toThrow(/stored under this key as a folder/);
    await expect(store.get('c')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await store.delete('c');
    expect((await readAll(await store.get('c/d'))).toString()).toBe('x');
  });

  it('never writes outside its directory', async () => {
    for (const key of ['../escape', 'a/../../escape', '/tmp/escape']) {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidObjectKeyError);
    }
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('lists only regular files, not symlinks placed in its directory', async () => {
    await store.put('real', Buffer.from('x'));
    await mkdir(join(temp.dir, 'elsewhere'));
    await writeFile(join(temp.dir, 'elsewhere', 'secret'), 'x');
    await symlink(join(temp.dir, 'elsewhere'), join(temp.dir, 'objects', 'link'));
    const keys: string[] = [];
    for await (const key of store.list('')) keys.push(key);
    expect(keys).toEqual(['real']);
  });
});
