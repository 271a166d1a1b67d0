/**
 * Go's view of template values. Values from YAML are float64 in Helm (a JS
 * number here); integers made by template functions (int, add, div) and
 * integer constants are int64 (a bigint here). Helm prints nil as "".
 */

/** Go's truth: false, 0, nil, and empty strings, lists and maps are false. */
export function truth(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** fmt.Sprint of a float64: strconv.FormatFloat(f, 'g', -1, 64), so 1000000 prints as 1e+06. */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  // With the shortest precision, %e is used when the exponent is below -4 or at least 6.
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** What {{ value }} prints. */
export function print(value: unknown, where: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatFloat(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  // Go would print map[...] or [...]: never what a manifest means, so a mistake in the chart.
  throw new Error(`${where}: printing a ${Array.isArray(value) ? 'list' : 'map'}; use toYaml`);
}

/** cast.ToInt64, as sprig's int, add, div use it. */
export function toInt(value: unknown, where: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return BigInt(value.trim());
  if (typeof value === 'string') return 0n;
  throw new Error(`${where}: cannot convert to an integer`);
}

/** A field of a map (nil when missing); a field of nil is an error, as in Go. */
export function field(value: unknown, name: string, where: string): unknown {
  if (value === null || value === undefined)
    throw new Error(`${where}: nil pointer evaluating interface {}.${name}`);
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${where}: can't evaluate field ${name} in a ${typeof value}`);
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}
