import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The absolute, symlink-free path of `name` on the server's PATH (or as given when it is a path). */
export function findExecutable(name: string): string {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return realpathSync(candidate);
    } catch {}
  }
  throw new Error(`${name} was not found${name.includes('/') ? '' : ' on PATH'}`);
}
