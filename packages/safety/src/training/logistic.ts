import type { Sample } from './samples.js';

export interface LogisticOptions {
  dim: number;
  /** L2 penalty per sample. */
  l2: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Prior weights (index to value): training starts there and L2 pulls towards them instead of towards 0. */
  priors?: ReadonlyMap<number, number>;
}

/** Weighted logistic regression by AdaGrad over shuffled samples, L2 (towards the priors) applied to the features each sample touches. */
export function trainLogistic(
  samples: readonly Sample[],
  options: LogisticOptions,
): { weights: Float32Array; bias: number } {
  const weights = new Float32Array(options.dim);
  const prior = new Float32Array(options.dim);
  for (const [index, value] of options.priors ?? []) {
    prior[index] = value;
    weights[index] = value;
  }
  const squares = new Float32Array(options.dim).fill(1e-8);
  let bias = 0;
  let biasSquares = 1e-8;
  const order = samples.map((_, i) => i);
  const random = mulberry32(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const { vector, label, weight } = samples[index] as Sample;
      let z = bias;
      for (let k = 0; k < vector.indices.length; k++)
        z += (weights[vector.indices[k] as number] as number) * (vector.values[k] as number);
      const error = weight * (1 / (1 + Math.exp(-z)) - label);
      for (let k = 0; k < vector.indices.length; k++) {
        const at = vector.indices[k] as number;
        const gradient =
          error * (vector.values[k] as number) +
          options.l2 * ((weights[at] as number) - (prior[at] as number));
        squares[at] = (squares[at] as number) + gradient * gradient;
        weights[at] =
          (weights[at] as number) - (options.learningRate * gradient) / Math.sqrt(squares[at] as number);
      }
      biasSquares += error * error;
      bias -= (options.learningRate * error) / Math.sqrt(biasSquares);
    }
  }
  return { weights, bias };
}

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
