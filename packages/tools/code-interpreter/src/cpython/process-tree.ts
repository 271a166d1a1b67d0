import { readdirSync, readFileSync } from 'node:fs';

/**
 * The descendants of `pid`, nearest first, from /proc/<pid>/task/<tid>/children.
 * Empty where the kernel does not provide that file.
 */
export function descendants(pid: number): { pid: number; name: string }[] {
  const found: { pid: number; name: string }[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 256) {
    const parent = queue.shift()!;
    for (const child of childrenOf(parent)) {
      found.push({ pid: child, name: readName(child) });
      queue.push(child);
    }
  }
  return found;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function readName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
