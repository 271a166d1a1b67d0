import { extractFeatures, type FeatureOptions, type SparseVector } from '../classifier/features.js';
import { textWindows } from '../classifier/windows.js';
import type { Row } from './dataset.js';

export interface Sample {
  vector: SparseVector;
  label: 0 | 1;
  weight: number;
  /** The row's (repository, label) group (set by buildSamples). */
  group?: string;
}

export interface SampleOptions {
  features: FeatureOptions;
  window: { size: number; stride: number };
  /** Each row weighs (rows of its repository and label)^-balance: 0 weighs rows alike, 1 weighs groups alike. */
  balance: number;
}

/**
 * Turns rows into weighted training windows. Weights balance sources and
 * classes: each row weighs (rows of its repository and label)^-balance, so a
 * large templated source cannot drown the rest, and both classes carry the
 * same total. A long benign row gives all its windows as negatives; a long
 * attack gives the windows that hold its located attack, or all of them.
 */
export function buildSamples(rows: readonly Row[], options: SampleOptions): Sample[] {
  const groupSize = new Map<string, number>();
  for (const row of rows) groupSize.set(key(row), (groupSize.get(key(row)) ?? 0) + 1);
  const samples: Sample[] = [];
  for (const row of rows) {
    const rowWeight = (groupSize.get(key(row)) ?? 1) ** -options.balance;
    let windows = textWindows(row.text, options.window.size, options.window.stride);
    const attack = row.attack;
    if (attack) {
      const holding = windows.filter((w) => w.start <= attack.start && attack.end <= w.end);
      windows =
        holding.length > 0 ? holding : windows.filter((w) => w.start < attack.end && attack.start < w.end);
    }
    const weight = rowWeight / Math.sqrt(windows.length);
    for (const window of windows)
      samples.push({
        vector: extractFeatures(row.text.slice(window.start, window.end), options.features),
        label: row.label,
        weight,
        group: key(row),
      });
  }
  const total = [0, 0];
  for (const sample of samples) total[sample.label] = (total[sample.label] ?? 0) + sample.weight;
  const scale = [samples.length / 2 / (total[0] || 1), samples.length / 2 / (total[1] || 1)];
  for (const sample of samples) sample.weight *= scale[sample.label] ?? 1;
  return samples;
}

const key = (row: Row) => `${row.repo}|${row.label}`;
