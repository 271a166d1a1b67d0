import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A Pyodide memory image kept on disk, so that a restarted server boots its
 * first worker from it (about a second) instead of cold (several seconds).
 * Pyodide refuses an image of another build; the sandbox then boots cold and
 * writes a new one. Best effort both ways: a missing or unwritable file only
 * costs the cold boot.
 */
export function readSnapshotFile(path: string): Uint8Array | null {
  try {
    return sharedImage(readFileSync(path));
  } catch {
    return null;
  }
}

/**
 * The image in a SharedArrayBuffer, copied once: every worker reads it from
 * there and makes its own copy, so that starting a worker copies nothing on
 * the server's event loop.
 */
export function sharedImage(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

export function writeSnapshotFile(path: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, bytes, { mode: 0o600 });
    // Renamed into place: a reader never sees half an image.
    renameSync(partial, path);
  } catch {
    // Only the next start's speed depends on it.
  }
}
