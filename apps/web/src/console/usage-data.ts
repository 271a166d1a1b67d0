/** One bucket of GET /v1/usage. */
export interface UsageBucket {
  user?: string | null;
  agent?: string | null;
  model?: string | null;
  day?: string | null;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
  runs: number;
  model_calls?: number;
  tool_calls?: number;
}

export type UsageGroup = 'agent' | 'user' | 'model';
export type UsageMetric = 'cost_usd' | 'total_tokens' | 'runs' | 'tool_calls';

export const METRICS: { id: UsageMetric; label: string }[] = [
  { id: 'cost_usd', label: 'Cost' },
  { id: 'total_tokens', label: 'Tokens' },
  { id: 'runs', label: 'Runs' },
  { id: 'tool_calls', label: 'Tool calls' },
];

/** What a bucket without the group's value stands for. */
const NONE: Record<UsageGroup, string> = {
  agent: '(no agent)',
  user: '(no user: API key)',
  model: '(no model)',
};

export interface ChartRow {
  label: string;
  value: number;
}

/**
 * Buckets grouped by one field as chart rows, largest first: the `top` largest,
 * and the rest summed as one row ("N others") so the chart stays readable.
 */
export function rowsBy(
  buckets: readonly UsageBucket[],
  group: UsageGroup,
  metric: UsageMetric,
  top = 8,
): ChartRow[] {
  const sums = new Map<string, number>();
  for (const bucket of buckets) {
    const label = bucket[group] ?? NONE[group];
    sums.set(label, (sums.get(label) ?? 0) + (bucket[metric] ?? 0));
  }
  const rows = [...sums]
    .map(([label, value]) => ({ label, value }))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  if (rows.length <= top + 1) return rows;
  const rest = rows.slice(top);
  return [
    ...rows.slice(0, top),
    { label: `${rest.length} others`, value: rest.reduce((sum, row) => sum + row.value, 0) },
  ];
}

/** One row a UTC day from `start` to `end` (Unix seconds, end exclusive), days without usage at 0. */
export function dailySeries(
  buckets: readonly UsageBucket[],
  start: number,
  end: number,
  metric: UsageMetric,
): ChartRow[] {
  const byDay = new Map<string, number>();
  for (const bucket of buckets)
    if (bucket.day) byDay.set(bucket.day, (byDay.get(bucket.day) ?? 0) + (bucket[metric] ?? 0));
  const rows: ChartRow[] = [];
  const day = new Date(Math.floor(start / 86_400) * 86_400_000);
  while (day.getTime() < end * 1000) {
    const label = day.toISOString().slice(0, 10);
    rows.push({ label, value: byDay.get(label) ?? 0 });
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return rows;
}

/** The sum of a metric over buckets. */
export function totalOf(buckets: readonly UsageBucket[], metric: UsageMetric): number {
  return buckets.reduce((sum, bucket) => sum + (bucket[metric] ?? 0), 0);
}
