import { InvalidObjectKeyError } from './errors.js';

/** S3's limit, applied everywhere so a key valid on one backend is valid on all. */
const MAX_KEY_BYTES = 1024;

/** Control characters and unpaired surrogates (which UTF-8 cannot encode faithfully). */
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cs}]/u;

/**
 * Throws InvalidObjectKeyError unless `key` is a relative `/`-separated path
 * with no empty, `.` or `..` segments, no backslash, no control characters,
 * and at most 1024 bytes. The local store maps keys to files, so these rules
 * are what keeps a key inside its directory; every backend applies them so
 * that keys mean the same thing everywhere.
 */
export function validateObjectKey(key: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) throw new InvalidObjectKeyError(key, problem);
}

/**
 * Throws InvalidObjectKeyError unless `prefix` is empty or could begin a
 * valid key (`a/`, `a/b`, `a/b.`).
 */
export function validateKeyPrefix(prefix: string): void {
  if (prefix === '') return;
  // A prefix is the start of some valid key exactly when it is one with any ordinary character appended.
  const problem = keyProblem(`${prefix}x`);
  if (problem !== undefined) throw new InvalidObjectKeyError(prefix, `not a valid key prefix: ${problem}`);
}

function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'a key is a non-empty string';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (FORBIDDEN_CHARACTERS.test(key)) return 'contains a control character or an unpaired surrogate';
  if (key.includes('\\')) return 'contains a backslash';
  if (key.startsWith('/')) return 'is absolute (starts with /)';
  for (const segment of key.split('/')) {
    if (segment === '') return 'has an empty path segment (// or a trailing /)';
    if (segment === '.' || segment === '..') return `has a '${segment}' path segment`;
  }
  return undefined;
}
