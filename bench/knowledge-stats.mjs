// Small helpers for the knowledge benchmark: percentiles, recall, timing, the report table.

export const now = () => performance.now();

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export function latency(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/**
 * recall@k of an approximate result against the exact one, tolerant of ties:
 * an approximate hit counts when it is in the exact top k or no farther than
 * the exact k-th distance (a different chunk at the same distance is as good).
 */
export function recallAt(k, approx, exact) {
  if (exact.length === 0) return 1;
  const wanted = Math.min(k, exact.length);
  const keys = new Set(exact.slice(0, wanted).map((hit) => hit.key));
  const limit = exact[wanted - 1].distance + 1e-5;
  let found = 0;
  for (const hit of approx.slice(0, wanted)) if (keys.has(hit.key) || hit.distance <= limit) found++;
  return Math.min(found, wanted) / wanted;
}

export const mean = (values) =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;

export const ms = (value) => (value === undefined || Number.isNaN(value) ? '-' : `${value.toFixed(1)} ms`);
export const seconds = (value) => `${(value / 1000).toFixed(1)} s`;
export const rate = (count, millis) => Math.round((count / millis) * 1000);

/** Prints rows (arrays of cells) as an aligned plain-text table. */
export function table(header, rows) {
  const widths = header.map((cell, i) =>
    Math.max(String(cell).length, ...rows.map((row) => String(row[i]).length)),
  );
  const line = (row) => row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
