import { hash, type SparseVector } from '../classifier/features.js';
import { reweightWorstGroups } from './group-reweight.js';
import { trainLogistic } from './logistic.js';
import type { Recipe } from './recipes.js';
import { ATTACK_SIGNALS, DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { weightedWindows } from './window-cache.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The committed recipe trained twice, the second time with the groups reweighted (group-reweight.ts). */
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
    const grouped = samples.map((s, k) => ({
      ...s,
      group: `${cache[windows[k]!.row]!.row.repo}|${s.label}`,
    }));
    const reweighted = reweightWorstGroups(grouped, first, eta);
    const second = train(reweighted);
    return (row) => {
      let best = 0;
      for (const v of cache[row]!.sparse) best = Math.max(best, sigmoid(margin(second, v)));
      return best;
    };
  };
}
