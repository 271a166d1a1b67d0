import { readdirSync, readFileSync } from 'node:fs';

/** Child processes of this test process whose command line matches `command` (Chromium, bubblewrap). */
export function childProcesses(command: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && command.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) {
        pids.push(Number(entry));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
