import type { SparseVector } from '../classifier/features.js';

export interface GroupedSample {
  vector: SparseVector;
  label: 0 | 1;
  weight: number;
  /** The sample's (repository, label) group; samples without one form one group. */
  group?: string;
}

type Model = { weights: Float32Array; bias: number };

/**
 * Worst-group reweighting (one group-DRO step): each group's weight is
 * multiplied by exp(eta * its mean log loss under `first` / the mean over
 * groups); both classes keep their total weight. Groups the first model fits
 * worst weigh more in the second, so that it leans on what the sources share
 * rather than on the easiest source's templates.
 */
export function reweightWorstGroups<T extends GroupedSample>(
  samples: readonly T[],
  first: Model,
  eta: number,
): T[] {
  const loss = new Map<string, { sum: number; weight: number }>();
  for (const s of samples) {
    let z = first.bias;
    for (let k = 0; k < s.vector.indices.length; k++)
      z += (first.weights[s.vector.indices[k] as number] ?? 0) * (s.vector.values[k] as number);
    const p = 1 / (1 + Math.exp(-z));
    const l = -Math.log(Math.max(1e-9, s.label === 1 ? p : 1 - p));
    const g = loss.get(s.group ?? '') ?? { sum: 0, weight: 0 };
    g.sum += l * s.weight;
    g.weight += s.weight;
    loss.set(s.group ?? '', g);
  }
  const means = new Map([...loss].map(([g, v]) => [g, v.sum / Math.max(1e-12, v.weight)]));
  const average = [...means.values()].reduce((a, b) => a + b, 0) / Math.max(1, means.size);
  const factor = new Map([...means].map(([g, m]) => [g, Math.exp((eta * m) / Math.max(1e-9, average))]));
  const out = samples.map((s) => ({ ...s, weight: s.weight * (factor.get(s.group ?? '') ?? 1) }));
  const before = [0, 0];
  const after = [0, 0];
  for (const s of samples) before[s.label] = (before[s.label] ?? 0) + s.weight;
  for (const s of out) after[s.label] = (after[s.label] ?? 0) + s.weight;
  for (const s of out) s.weight *= (before[s.label] ?? 1) / (after[s.label] || 1);
  return out;
}
