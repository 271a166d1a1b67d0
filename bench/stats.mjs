// Small helpers the benchmarks share: percentiles, formatting, verdicts, a process's memory.
import { readFileSync } from 'node:fs';

export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
};

export const fmt = (ms) => `${ms.toFixed(2)} ms`;

export const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');

/** A process's resident memory, bytes (0 when it is gone). */
export function rssOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A process's CPU time so far (user + system, all its threads), ms; /proc counts in USER_HZ (100 a second). */
export function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
