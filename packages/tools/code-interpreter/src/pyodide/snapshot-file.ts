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
    return new Uint8Array(readFileSync(path));
  } catch {
    return null;
  }
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
