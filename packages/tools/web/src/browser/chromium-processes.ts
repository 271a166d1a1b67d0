import { readdirSync, readFileSync } from 'node:fs';

/**
 * The ids of a Chromium's processes: the main one (found by a marker in its
 * command line) and all its descendants. Linux only (reads /proc); an empty
 * list elsewhere.
 */
export function chromiumProcessIds(marker: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  const roots: number[] = [];
  for (const entry of entries) {
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      parents.set(pid, Number(fields[1]));
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(marker) && !cmdline.includes('--type=')) roots.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!found.has(pid) && found.has(parent)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/**
 * Memory of the processes, in bytes: `rss` sums each one's resident set (so
 * pages they share, such as the Chromium binary, count once per process);
 * `pss` shares those pages out between the processes, so its sum is the
 * memory the browser really holds.
 */
export function memoryOf(pids: readonly number[]): { rss: number; pss: number } {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    rss += kilobytes(`/proc/${pid}/status`, /^VmRSS:\s+(\d+)\s+kB/m);
    pss += kilobytes(`/proc/${pid}/smaps_rollup`, /^Pss:\s+(\d+)\s+kB/m);
  }
  return { rss, pss };
}

function kilobytes(file: string, pattern: RegExp): number {
  try {
    const match = pattern.exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    // Gone already, or not readable.
    return 0;
  }
}
