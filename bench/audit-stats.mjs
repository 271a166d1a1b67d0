// Statistics of paired rounds for bench/audit.mjs: each round measures every
// arm back to back, so a round's ratio of two arms cancels the load they
// shared; the median of those ratios, its spread and a distribution-free
// confidence interval say whether a target is met, missed or not resolved.

/** The q-quantile (0..1) of values, linear between order statistics. */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values) => quantile(values, 0.5);

/** log C(n, k), for the binomial tail below. */
function logChoose(n, k) {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/**
 * A confidence interval of the median from order statistics (the sign
 * test's interval: no assumption about the ratios' distribution): the
 * narrowest [k-th lowest, k-th highest] whose coverage is at least `level`,
 * with its coverage. Too few rounds for `level` give the whole range, and a
 * coverage below it, which the caller prints.
 */
export function medianInterval(values, level = 0.95) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // P(B < j) for B ~ Binomial(n, 1/2): the chance that fewer than j values fall below the median.
  const below = (j) => {
    let sum = 0;
    for (let i = 0; i < j; i++) sum += Math.exp(logChoose(n, i) - n * Math.LN2);
    return sum;
  };
  const coverage = (k) => 1 - 2 * below(k + 1);
  let k = 0;
  while (k + 1 <= (n - 1) / 2 && coverage(k + 1) >= level) k++;
  return { low: sorted[k] ?? Number.NaN, high: sorted[n - 1 - k] ?? Number.NaN, coverage: coverage(k) };
}

/**
 * Paired ratios a[i] / b[i] described: median, interquartile range, range and
 * the median's interval, as percentages of change (ratio − 1).
 */
export function pairedChange(a, b) {
  const ratios = a.map((value, index) => value / b[index]);
  const pct = (ratio) => (ratio - 1) * 100;
  const interval = medianInterval(ratios);
  return {
    n: ratios.length,
    median: pct(median(ratios)),
    q1: pct(quantile(ratios, 0.25)),
    q3: pct(quantile(ratios, 0.75)),
    min: pct(Math.min(...ratios)),
    max: pct(Math.max(...ratios)),
    low: pct(interval.low),
    high: pct(interval.high),
    coverage: interval.coverage,
  };
}

/** One line: median, its interval, the interquartile range and the range. */
export function describeChange(change) {
  const f = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;
  return (
    `median ${f(change.median)} (${Math.round(change.coverage * 100)} % interval ${f(change.low)} to ${f(change.high)}; ` +
    `IQR ${f(change.q1)} to ${f(change.q3)}; range ${f(change.min)} to ${f(change.max)}; ${change.n} paired rounds)`
  );
}

/**
 * Whether a cost (a loss, in %: positive is worse) is within a limit: met when
 * the whole interval is at or under it, missed when the whole interval is over
 * it, otherwise not resolved by these rounds.
 */
export function verdict(costLow, costHigh, limit) {
  if (costHigh <= limit) return `met (the interval's worst, ${costHigh.toFixed(1)} %, is within ${limit} %)`;
  if (costLow > limit) return `missed (the interval's best, ${costLow.toFixed(1)} %, is over ${limit} %)`;
  return `not resolved (the interval, ${costLow.toFixed(1)} to ${costHigh.toFixed(1)} %, spans ${limit} %)`;
}
