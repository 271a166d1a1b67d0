import { posix } from 'node:path';
import { DATA_DIR } from './sandbox.js';

/**
 * The path of a file under `/mnt/data`, relative to it (`in/sales.csv`), from
 * either form a caller may give. Throws for anything that leaves the directory.
 */
export function dataRelativePath(path: string): string {
  const absolute = posix.normalize(path.startsWith('/') ? path : `${DATA_DIR}/${path}`);
  const relative = posix.relative(DATA_DIR, absolute);
  if (relative === '' || relative.startsWith('..') || posix.isAbsolute(relative) || relative.includes('\0'))
    throw new RangeError(`file path '${path}' is not under ${DATA_DIR}`);
  return relative;
}
