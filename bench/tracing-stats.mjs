// Paired figures for bench/tracing.mjs: a process's CPU time in nanoseconds,
// and the median of paired ratios with a distribution-free interval.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * A process's CPU time so far, ms, to the nanosecond: the sum of its threads'
 * run time from /proc/PID/task/TID/schedstat (the scheduler's own clock), not
 * /proc/PID/stat's 10 ms ticks, which at ten-odd runs a round read a run's
 * CPU to a tick. A thread that exits between two readings takes its time with
 * it; Node's threads (libuv's pool, V8's) live as long as the process.
 */
export function cpuNsMs(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialCdf(n, k) {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

/**
 * A confidence interval for the median of `values` from their order
 * statistics (the sign test's: no assumption on their distribution): the
 * widest k with P(Binomial(n, 1/2) < k) at most 2.5 % each side gives
 * [x(k), x(n-k+1)] at a level of at least 95 %. With fewer than 6 values no such
 * interval exists; min and max are given then, at the level they reach.
 */
export function medianInterval(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let k = 0;
  while (k + 1 <= n / 2 && binomialCdf(n, k) <= 0.025) k++;
  // k is now the smallest count whose tail passes 2.5 %: the interval is x(k) .. x(n-k+1), 1-based.
  const low = Math.max(0, k - 1);
  // [x(low+1), x(n-low)] (1-based) misses the median when at most `low` values fall on one side.
  const level = n === 0 ? 0 : 1 - 2 * binomialCdf(n, low);
  return { low: sorted[low], high: sorted[n - 1 - low], level };
}

/** `values` (ratios of on to off) as a summary: median, interval, min and max. */
export function pairedSummary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: median(values),
    ...medianInterval(values),
    min: sorted[0],
    max: sorted.at(-1),
    n: values.length,
  };
}

/**
 * Whether a cost at most `limit` (a fraction: 0.05) is shown by a ratio of
 * runs per second (on / off): met when the interval's low end keeps the cost
 * within it, missed when even its high end costs more, else not resolved.
 */
export function costVerdict(summary, limit) {
  if (1 - summary.low <= limit) return 'target met (the whole interval is within it)';
  if (1 - summary.high > limit) return 'target MISSED (the whole interval is beyond it)';
  return 'not resolved (the interval straddles the target)';
}
