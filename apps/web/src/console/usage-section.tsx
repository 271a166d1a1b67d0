import { useId, useState } from 'react';
import { BarChart, DailyChart } from './bar-chart.js';
import { formatCount, formatUsd } from './format.js';
import { ErrorNote } from './parts.js';
import { dailySeries, METRICS, rowsBy, totalOf, type UsageBucket, type UsageMetric } from './usage-data.js';
import { useLoad } from './use-load.js';

const RANGES = [
  { days: 1, label: 'today and yesterday' },
  { days: 7, label: 'last 7 days' },
  { days: 30, label: 'last 30 days' },
  { days: 90, label: 'last 90 days' },
];

const formatOf = (metric: UsageMetric) => (metric === 'cost_usd' ? formatUsd : formatCount);

/** Usage and cost by agent, user, model and day, as charts, over a chosen range. */
export function UsageSection() {
  const [days, setDays] = useState(30);
  const [metric, setMetric] = useState<UsageMetric>('cost_usd');
  const rangeId = useId();
  const metricId = useId();
  const report = useLoad(async (client) => {
    // Whole UTC days: from midnight `days` days ago to the end of today.
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    const range = { start_time: today - days * 86_400, end_time: today + 86_400 };
    const [byAgent, byUser, byModel, byDay] = await Promise.all(
      ['agent', 'user', 'model', 'day'].map((group) => client.usage.retrieve({ ...range, group_by: group })),
    );
    const data = (report: typeof byAgent) => (report?.data ?? []) as unknown as UsageBucket[];
    return { range, agent: data(byAgent), user: data(byUser), model: data(byModel), day: data(byDay) };
  }, `usage-${days}`);
  const format = formatOf(metric);
  const label = METRICS.find((entry) => entry.id === metric)?.label ?? metric;
  const data = report.data;
  return (
    <>
      <h1>Usage</h1>
      <div className="row">
        <label htmlFor={rangeId}>Range</label>
        <select id={rangeId} value={days} onChange={(event) => setDays(Number(event.target.value))}>
          {RANGES.map((range) => (
            <option key={range.days} value={range.days}>
              {range.label}
            </option>
          ))}
        </select>
        <label htmlFor={metricId}>Show</label>
        <select
          id={metricId}
          value={metric}
          onChange={(event) => setMetric(event.target.value as UsageMetric)}
        >
          {METRICS.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
        </select>
        <span className="muted" aria-live="polite">
          {report.loading ? 'Loading…' : ''}
        </span>
      </div>
      <ErrorNote error={report.error} />
      {data ? (
        <>
          <dl className="totals" aria-label="Totals in the range">
            {METRICS.map((entry) => (
              <div key={entry.id}>
                <dt>{entry.label}</dt>
                <dd>{formatOf(entry.id)(totalOf(data.day, entry.id))}</dd>
              </div>
            ))}
          </dl>
          <DailyChart
            title={`${label} by day`}
            rows={dailySeries(data.day, data.range.start_time, data.range.end_time, metric)}
            format={format}
          />
          <div className="charts">
            <BarChart
              title={`${label} by agent`}
              rows={rowsBy(data.agent, 'agent', metric)}
              format={format}
            />
            <BarChart title={`${label} by user`} rows={rowsBy(data.user, 'user', metric)} format={format} />
            <BarChart
              title={`${label} by model`}
              rows={rowsBy(data.model, 'model', metric)}
              format={format}
            />
          </div>
          <p className="muted">
            Cost is counted at the server’s price table when each model call ends; runs without a named agent
            count under “(no agent)”.
          </p>
        </>
      ) : null}
    </>
  );
}
