import { BEHAVIOUR_FEATURES } from '../classifier/behaviour.js';
import { boostedMargin } from '../classifier/boosted-trees.js';
import type { SparseVector } from '../classifier/features.js';
import { hash } from '../classifier/features.js';
import { insertAttacks } from './augment.js';
import { type BoostingOptions, DEFAULT_BOOSTING, trainBoosted } from './boosting.js';
import { trainLogistic } from './logistic.js';
import { mlpMargin, trainMlp } from './mlp.js';
import { ATTACK_SIGNALS, DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { type CachedRow, trainingWindowsOf, weightedWindows } from './window-cache.js';

/** A text's score from a model trained on some rows: the highest of its windows' probabilities. */
export type Scorer = (row: number) => number;
/** A way to train a model on cached rows. */
export type Recipe = (cache: readonly CachedRow[], rows: readonly number[]) => Scorer;

/**
 * Each row's score from a model trained without its repository (leave one repository out).
 * `size` leaves room after the rows for texts the caller scores another way.
 */
export function outOfSourceScores(
  recipe: Recipe,
  cache: readonly CachedRow[],
  rows: readonly { repo: string }[],
  size = rows.length,
): number[] {
  const scores = new Array<number>(size).fill(0);
  for (const repo of new Set(rows.map((r) => r.repo))) {
    const scorer = recipe(
      cache,
      rows.flatMap((r, i) => (r.repo !== repo ? [i] : [])),
    );
    rows.forEach((r, i) => {
      if (r.repo === repo) scores[i] = scorer(i);
    });
  }
  return scores;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const logit = (p: number) => Math.log(Math.max(1e-9, p) / Math.max(1e-9, 1 - p));

/** Behavioural features (behaviour.ts) of what an instruction does, added to the linear model's when asked. */
const ACTION_FEATURES = [
  'imperative_to_you',
  'imperative_share',
  'you_modal',
  'override_verbs',
  'reveal_verbs',
  'send_verbs',
  'url_with_imperative',
  'imperative_contrast',
  'second_person_contrast',
  'ai_named',
].map((name) => ({
  at: BEHAVIOUR_FEATURES.indexOf(name),
  index: hash(`s:b_${name}`, DEFAULT_TRAIN_OPTIONS.features.dim),
}));

function withActions(vector: SparseVector, dense: Float32Array): SparseVector {
  const extra = ACTION_FEATURES.filter((f) => dense[f.at] !== 0);
  if (extra.length === 0) return vector;
  const indices = new Int32Array(vector.indices.length + extra.length);
  const values = new Float32Array(vector.values.length + extra.length);
  indices.set(vector.indices);
  values.set(vector.values);
  extra.forEach((f, k) => {
    indices[vector.indices.length + k] = f.index;
    values[vector.values.length + k] = dense[f.at] as number;
  });
  return { indices, values };
}

export interface LinearRecipeOptions {
  signalPrior?: number;
  epochs?: number;
  /** Synthetic indirect injections: attacks of the training rows inserted into benign texts of other repositories. */
  augment?: number;
  /** Add the behavioural action features. */
  actions?: boolean;
  /** Signals left out (their features dropped in training and scoring), e.g. ['harmful']. */
  without?: readonly string[];
  /** Signals trained on but left out when scoring (a per-surface mask on a model trained with them). */
  scoreWithout?: readonly string[];
}

function dropping(vector: SparseVector, drop: ReadonlySet<number>): SparseVector {
  const keep = [...vector.indices.keys()].filter((k) => !drop.has(vector.indices[k] as number));
  return {
    indices: Int32Array.from(keep, (k) => vector.indices[k] as number),
    values: Float32Array.from(keep, (k) => vector.values[k] as number),
  };
}

/** The committed linear model's training (train-model.ts), on cached features, with variations. */
export function linearRecipe(options: LinearRecipeOptions = {}): Recipe {
  const o = DEFAULT_TRAIN_OPTIONS;
  const signalPrior = options.signalPrior ?? o.signalPrior;
  const drop = new Set((options.without ?? []).map((name) => hash(`s:${name}`, o.features.dim)));
  const vectorOf = (sparse: SparseVector, dense: Float32Array) => {
    const v = options.actions ? withActions(sparse, dense) : sparse;
    return drop.size > 0 ? dropping(v, drop) : v;
  };
  return (cache, rows) => {
    const windows = weightedWindows(cache, rows, o.balance);
    const samples = windows.map((s) => ({
      vector: vectorOf(
        cache[s.row]!.sparse[s.window] as SparseVector,
        cache[s.row]!.dense[s.window] as Float32Array,
      ),
      label: s.label,
      weight: s.weight,
    }));
    if (options.augment) {
      const made = insertAttacks(
        rows.map((i) => cache[i]!.row),
        options.augment,
        o.seed,
      );
      // A group of their own, weighing as much as one (repository, label) group does on average.
      const groups = new Set(rows.map((i) => `${cache[i]!.row.repo}|${cache[i]!.row.label}`)).size;
      const total = samples.filter((s) => s.label === 1).reduce((sum, s) => sum + s.weight, 0);
      const made_ = made.flatMap((row) => trainingWindowsOf(row, o.features, o.window));
      for (const w of made_)
        samples.push({
          vector: vectorOf(w.sparse, w.dense),
          label: 1,
          weight: total / groups / Math.max(1, made_.length),
        });
    }
    const { weights, bias } = trainLogistic(samples, {
      dim: o.features.dim,
      l2: o.l2,
      epochs: options.epochs ?? o.epochs,
      learningRate: o.learningRate,
      seed: o.seed,
      priors: new Map(ATTACK_SIGNALS.map((name) => [hash(`s:${name}`, o.features.dim), signalPrior])),
    });
    const mask = new Set((options.scoreWithout ?? []).map((name) => hash(`s:${name}`, o.features.dim)));
    return (row) => {
      let best = 0;
      const c = cache[row]!;
      c.sparse.forEach((sparse, w) => {
        const v = dropping(vectorOf(sparse, c.dense[w] as Float32Array), mask);
        let z = bias;
        for (let k = 0; k < v.indices.length; k++) z += (weights[v.indices[k]!] ?? 0) * v.values[k]!;
        best = Math.max(best, sigmoid(z));
      });
      return best;
    };
  };
}

/** Gradient-boosted trees over the behavioural features (behaviour.ts). */
export function boostedRecipe(options: Partial<BoostingOptions> = {}): Recipe {
  const o = { ...DEFAULT_BOOSTING, ...options };
  return (cache, rows) => {
    const windows = weightedWindows(cache, rows, DEFAULT_TRAIN_OPTIONS.balance);
    const model = trainBoosted(
      windows.map((s) => cache[s.row]!.dense[s.window] as Float32Array),
      windows.map((s) => s.label),
      windows.map((s) => s.weight),
      o,
    );
    return (row) => {
      let best = 0;
      for (const x of cache[row]!.dense) best = Math.max(best, sigmoid(boostedMargin(model, x)));
      return best;
    };
  };
}

/** The linear model with a small hidden layer beside it (mlp.ts), on the same windows and weights. */
export function mlpRecipe(
  options: { hidden?: number; dim?: number; epochs?: number; learningRate?: number } = {},
): Recipe {
  const o = DEFAULT_TRAIN_OPTIONS;
  return (cache, rows) => {
    const windows = weightedWindows(cache, rows, o.balance);
    const model = trainMlp(
      windows.map((s) => ({
        vector: cache[s.row]!.sparse[s.window] as SparseVector,
        label: s.label,
        weight: s.weight,
      })),
      {
        dim: options.dim ?? 1 << 16,
        hidden: options.hidden ?? 16,
        epochs: options.epochs ?? o.epochs,
        learningRate: options.learningRate ?? 0.1,
        l2: o.l2,
        seed: o.seed,
        priors: new Map(ATTACK_SIGNALS.map((name) => [hash(`s:${name}`, o.features.dim), o.signalPrior])),
      },
    );
    return (row) => {
      let best = 0;
      for (const x of cache[row]!.sparse) best = Math.max(best, sigmoid(mlpMargin(model, x)));
      return best;
    };
  };
}
