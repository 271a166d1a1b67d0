import { hash, type SparseVector } from '../classifier/features.js';
import { trainLogistic } from './logistic.js';
import type { Recipe } from './recipes.js';
import { ATTACK_SIGNALS, DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { weightedWindows } from './window-cache.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Worst-group reweighting (group DRO, one step): the committed recipe is
 * trained once; each (repository, label) group's weight is then multiplied
 * by exp(eta * its mean log loss / the mean over groups), and the model is
 * trained again. Groups the first model fits worst (a source whose attacks
 * look unlike the others') weigh more, so that the second model leans on
 * what the sources share rather than on the easiest source's templates.
 */
export function droRecipe(options: { eta?: number } = {}): Recipe {
  const o = DEFAULT_TRAIN_OPTIONS;
  const eta = options.eta ?? 1;
  const priors = new Map(ATTACK_SIGNALS.map((name) => [hash(`s:${name}`, o.features.dim), o.signalPrior]));
  const train = (samples: { vector: SparseVector; label: 0 | 1; weight: number }[]) =>
    trainLogistic(samples, {
      dim: o.features.dim,
      l2: o.l2,
      epochs: o.epochs,
      learningRate: o.learningRate,
      seed: o.seed,
      priors,
    });
  const margin = (model: { weights: Float32Array; bias: number }, v: SparseVector) => {
    let z = model.bias;
    for (let k = 0; k < v.indices.length; k++) z += (model.weights[v.indices[k]!] ?? 0) * v.values[k]!;
    return z;
  };
  return (cache, rows) => {
    const windows = weightedWindows(cache, rows, o.balance);
    const samples = windows.map((s) => ({
      vector: cache[s.row]!.sparse[s.window] as SparseVector,
      label: s.label,
      weight: s.weight,
    }));
    const first = train(samples);
    const group = windows.map((s) => `${cache[s.row]!.row.repo}|${s.label}`);
    const loss = new Map<string, { sum: number; weight: number }>();
    samples.forEach((s, k) => {
      const p = sigmoid(margin(first, s.vector));
      const l = -Math.log(Math.max(1e-9, s.label === 1 ? p : 1 - p));
      const g = loss.get(group[k]!) ?? { sum: 0, weight: 0 };
      g.sum += l * s.weight;
      g.weight += s.weight;
      loss.set(group[k]!, g);
    });
    const means = new Map([...loss].map(([g, v]) => [g, v.sum / Math.max(1e-12, v.weight)]));
    const average = [...means.values()].reduce((a, b) => a + b, 0) / Math.max(1, means.size);
    const factor = new Map([...means].map(([g, m]) => [g, Math.exp((eta * m) / Math.max(1e-9, average))]));
    // Both classes keep the same total weight.
    const reweighted = samples.map((s, k) => ({ ...s, weight: s.weight * (factor.get(group[k]!) ?? 1) }));
    const total = [0, 0];
    for (const s of reweighted) total[s.label] = (total[s.label] ?? 0) + s.weight;
    const before = [0, 0];
    for (const s of samples) before[s.label] = (before[s.label] ?? 0) + s.weight;
    for (const s of reweighted) s.weight *= (before[s.label] ?? 1) / (total[s.label] || 1);
    const second = train(reweighted);
    return (row) => {
      let best = 0;
      for (const v of cache[row]!.sparse) best = Math.max(best, sigmoid(margin(second, v)));
      return best;
    };
  };
}
