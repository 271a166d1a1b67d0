import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The entries of a directory, sorted; none when it cannot be read. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * The files below `dir` whose names match `name`, smaller than `maxBytes`, in
 * sorted order. Dot entries and the names in `skip` are passed over at any
 * depth; links are not followed (Debian links many packages' doc directories
 * to one, python3-doc to python3.11: counted once). `regularOnly` also leaves
 * out links to files.
 */
export function walkFiles(
  dir: string,
  name: RegExp,
  options: { skip?: readonly string[]; maxBytes: number; regularOnly?: boolean },
): string[] {
  const found: string[] = [];
  for (const entry of listDir(dir)) {
    if (entry.startsWith('.') || options.skip?.includes(entry)) continue;
    const path = join(dir, entry);
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) found.push(...walkFiles(path, name, options));
    else if ((!options.regularOnly || stat.isFile()) && name.test(entry) && stat.size < options.maxBytes)
      found.push(path);
  }
  return found;
}
