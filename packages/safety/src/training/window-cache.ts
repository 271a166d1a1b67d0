import { behaviourFeatures, textProfile } from '../classifier/behaviour.js';
import { extractFeatures, type FeatureOptions, type SparseVector } from '../classifier/features.js';
import { normalizeText } from '../classifier/normalize.js';
import { textWindows } from '../classifier/windows.js';
import type { Row } from './dataset.js';

/** One row's windows, their features computed once (experiments train many models on them). */
export interface CachedRow {
  row: Row;
  sparse: SparseVector[];
  dense: Float32Array[];
  /** The windows training labels with the row's label (those holding a located attack, or all). */
  train: number[];
}

export function cacheWindows(
  rows: readonly Row[],
  features: FeatureOptions,
  window: { size: number; stride: number },
): CachedRow[] {
  return rows.map((row) => {
    const windows = textWindows(row.text, window.size, window.stride);
    const whole = textProfile(normalizeText(row.text));
    let train = windows.map((_, i) => i);
    const attack = row.attack;
    if (attack) {
      const holding = train.filter((i) => windows[i]!.start <= attack.start && attack.end <= windows[i]!.end);
      train =
        holding.length > 0
          ? holding
          : train.filter((i) => windows[i]!.start < attack.end && attack.start < windows[i]!.end);
    }
    return {
      row,
      sparse: windows.map((w) => extractFeatures(row.text.slice(w.start, w.end), features)),
      dense: windows.map((w) => behaviourFeatures(normalizeText(row.text.slice(w.start, w.end)), whole)),
      train,
    };
  });
}

/**
 * Training windows of the given rows with the weights of buildSamples: each
 * (repository, label) group weighs `balance`-balanced, a row's windows share
 * its weight, and both classes weigh the same in total.
 */
export function weightedWindows(
  cache: readonly CachedRow[],
  rowIndices: readonly number[],
  balance: number,
): { row: number; window: number; label: 0 | 1; weight: number }[] {
  const key = (c: CachedRow) => `${c.row.repo}|${c.row.label}`;
  const groupSize = new Map<string, number>();
  for (const i of rowIndices) groupSize.set(key(cache[i]!), (groupSize.get(key(cache[i]!)) ?? 0) + 1);
  const out: { row: number; window: number; label: 0 | 1; weight: number }[] = [];
  for (const i of rowIndices) {
    const c = cache[i]!;
    const weight = (groupSize.get(key(c)) ?? 1) ** -balance / Math.sqrt(c.train.length);
    for (const window of c.train) out.push({ row: i, window, label: c.row.label, weight });
  }
  const total = [0, 0];
  for (const s of out) total[s.label] = (total[s.label] ?? 0) + s.weight;
  const scale = [out.length / 2 / (total[0] || 1), out.length / 2 / (total[1] || 1)];
  for (const s of out) s.weight *= scale[s.label] ?? 1;
  return out;
}

/** The features of a row's training windows only (for synthetic rows, made per training set). */
export function trainingWindowsOf(
  row: Row,
  features: FeatureOptions,
  window: { size: number; stride: number },
): { sparse: SparseVector; dense: Float32Array }[] {
  const windows = textWindows(row.text, window.size, window.stride);
  const attack = row.attack;
  const chosen = attack ? windows.filter((w) => w.start < attack.end && attack.start < w.end) : windows;
  const whole = textProfile(normalizeText(row.text));
  return chosen.map((w) => ({
    sparse: extractFeatures(row.text.slice(w.start, w.end), features),
    dense: behaviourFeatures(normalizeText(row.text.slice(w.start, w.end)), whole),
  }));
}
