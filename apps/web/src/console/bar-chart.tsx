import type { ChartRow } from './usage-data.js';

/**
 * A horizontal bar chart drawn as a table: each row's label, its bar (SVG, for
 * the eye) and its value (text, for everyone). Screen readers read a table.
 */
export function BarChart({
  title,
  rows,
  format,
}: {
  title: string;
  rows: ChartRow[];
  format: (value: number) => string;
}) {
  const max = Math.max(0, ...rows.map((row) => row.value));
  return (
    <figure className="chart">
      <table className="bar-chart">
        <caption>{title}</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td className="bar-cell">
                <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                  <rect
                    x="0"
                    y="0"
                    height="10"
                    width={max > 0 ? Math.max(0.5, (row.value / max) * 100) : 0}
                  />
                </svg>
              </td>
              <td className="value">{format(row.value)}</td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                No usage in this range.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </figure>
  );
}

/** Columns a day (SVG), described in words, with the figures in a table that opens below. */
export function DailyChart({
  title,
  rows,
  format,
}: {
  title: string;
  rows: ChartRow[];
  format: (value: number) => string;
}) {
  const max = Math.max(0, ...rows.map((row) => row.value));
  const peak = rows.reduce<ChartRow | null>(
    (best, row) => (best === null || row.value > best.value ? row : best),
    null,
  );
  const width = Math.max(1, rows.length) * 10;
  const summary =
    peak && max > 0
      ? `${title}: ${rows.length} days from ${rows[0]?.label} to ${rows.at(-1)?.label}, highest ${format(peak.value)} on ${peak.label}.`
      : `${title}: no usage in this range.`;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        className="daily"
        viewBox={`0 0 ${width} 100`}
        preserveAspectRatio="none"
        role="img"
        aria-label={summary}
      >
        {rows.map((row, index) => {
          const height = max > 0 ? (row.value / max) * 96 : 0;
          return (
            <rect key={row.label} x={index * 10 + 1} y={100 - height} width={8} height={height}>
              <title>{`${row.label}: ${format(row.value)}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="axis" aria-hidden="true">
        <span>{rows[0]?.label}</span>
        <span>{rows.at(-1)?.label}</span>
      </div>
      <details>
        <summary>{title} as a table</summary>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .filter((row) => row.value > 0)
              .map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  <td>{format(row.value)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
