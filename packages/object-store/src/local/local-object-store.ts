import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bodyChunks, countBytes } from '../body-chunks.js';
import { InvalidObjectKeyError, ObjectNotFoundError } from '../errors.js';
import { validateKeyPrefix, validateObjectKey } from '../object-key.js';
import type { GetOptions, ObjectBody, ObjectStore, PutOptions } from '../object-store.js';
import { errorCode } from './error-code.js';

/** Where uploads in progress are written before they are renamed into place; not a usable key. */
const INCOMING_DIR = '.incoming';

/**
 * Objects as files under one directory: key `a/b` is the file `<dir>/a/b`.
 * A put streams into `<dir>/.incoming/` and renames the finished file into
 * place, so readers see the old object or the new one, never a partial one;
 * temp files left by a crash stay in `.incoming` and can be removed when no
 * put is running. Directories are 0700 and files 0600. Because keys are
 * files, `a` and `a/b` cannot both exist here (S3 allows it); the second put
 * fails with InvalidObjectKeyError. Empty directories are left behind by
 * delete.
 */
export class LocalObjectStore implements ObjectStore {
  readonly #root: string;
  readonly #incoming: string;

  constructor(options: { dir: string }) {
    this.#root = resolve(options.dir);
    this.#incoming = join(this.#root, INCOMING_DIR);
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ size: number }> {
    const target = this.#pathOf(key);
    options.signal?.throwIfAborted();
    await mkdir(this.#incoming, { recursive: true, mode: 0o700 });
    await mkdir(dirname(target), { recursive: true, mode: 0o700 }).catch((error) => {
      throw explainConflict(key, error);
    });
    const temp = join(this.#incoming, randomUUID());
    const count = { bytes: 0 };
    // Opened before the body is read: a body that fails at once must not race the open
    // and leave a file behind after the clean-up below.
    const file = await open(temp, 'wx', 0o600);
    try {
      await pipeline(
        countBytes(bodyChunks(body), count),
        file.createWriteStream({ flush: true }),
        options.signal ? { signal: options.signal } : {},
      );
      await rename(temp, target).catch((error) => {
        throw explainConflict(key, error);
      });
    } catch (error) {
      await file.close().catch(() => undefined);
      await rm(temp, { force: true });
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
    return { size: count.bytes };
  }

  async get(key: string, options: GetOptions = {}): Promise<Readable> {
    const path = this.#pathOf(key);
    options.signal?.throwIfAborted();
    const file = await open(path, 'r').catch((error) => {
      throw isMissing(error) ? new ObjectNotFoundError(key, { cause: error }) : error;
    });
    // A directory opens fine on Linux; it is a folder of other keys, not an object.
    if (!(await file.stat()).isFile()) {
      await file.close();
      throw new ObjectNotFoundError(key);
    }
    const stream = file.createReadStream();
    return options.signal ? addAbortSignal(options.signal, stream) : stream;
  }

  async delete(key: string): Promise<void> {
    await unlink(this.#pathOf(key)).catch((error) => {
      if (!isMissing(error) && errorCode(error) !== 'EISDIR') throw error;
    });
  }

  async *list(prefix: string): AsyncIterable<string> {
    validateKeyPrefix(prefix);
    yield* this.#walk(prefix.slice(0, prefix.lastIndexOf('/') + 1), prefix);
  }

  /**
   * Files under the folder `dirKey` (`''` or ending in `/`) whose keys start
   * with `prefix`. Each folder is read whole before its keys are yielded, so
   * a caller rewriting the keys it is given (rotation) is never handed one twice.
   */
  async *#walk(dirKey: string, prefix: string): AsyncGenerator<string> {
    const entries = await readdir(join(this.#root, dirKey), { withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return [];
      throw error;
    });
    for (const entry of entries) {
      if (dirKey === '' && entry.name === INCOMING_DIR) continue;
      const key = dirKey + entry.name;
      if (entry.isDirectory() && `${key}/`.startsWith(prefix)) yield* this.#walk(`${key}/`, prefix);
      else if (entry.isFile() && key.startsWith(prefix)) yield key;
    }
  }

  #pathOf(key: string): string {
    validateObjectKey(key);
    if (key === INCOMING_DIR || key.startsWith(`${INCOMING_DIR}/`)) {
      throw new InvalidObjectKeyError(key, `'${INCOMING_DIR}/' is reserved for uploads in progress`);
    }
    const path = resolve(this.#root, key);
    // validateObjectKey already rules out '..'; this is the check that matters if those rules ever change.
    if (!path.startsWith(this.#root + sep))
      throw new InvalidObjectKeyError(key, 'escapes the store directory');
    return path;
  }
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A file where a folder is needed, or the other way round: `a` and `a/b` both stored. */
function explainConflict(key: string, error: unknown): unknown {
  const code = errorCode(error);
  if (code === 'ENOTDIR' || code === 'EEXIST') {
    return new InvalidObjectKeyError(key, 'a parent path of this key is itself an object in the local store');
  }
  if (code === 'EISDIR')
    return new InvalidObjectKeyError(key, 'other objects are stored under this key as a folder');
  return error;
}
