import { extractFeatures, type FeatureOptions, type SparseVector } from './features.js';
import { textWindows } from './windows.js';

/** A trained logistic regression over hashed features, with the thresholds chosen out of source. */
export interface LinearModel {
  version: string;
  features: FeatureOptions;
  window: { size: number; stride: number };
  weights: Float32Array;
  bias: number;
  /** Scores at or above `block` are attacks; between `flag` and `block` the classifier is unsure. */
  thresholds: { flag: number; block: number };
}

export function scoreVector(model: LinearModel, vector: SparseVector): number {
  let z = model.bias;
  for (let i = 0; i < vector.indices.length; i++)
    z += (model.weights[vector.indices[i] as number] ?? 0) * (vector.values[i] as number);
  return 1 / (1 + Math.exp(-z));
}

/** The text's score: the highest of its windows', and where that window is. */
export function scoreText(model: LinearModel, text: string): { score: number; start: number; end: number } {
  let best = { score: 0, start: 0, end: text.length };
  for (const window of textWindows(text, model.window.size, model.window.stride)) {
    const score = scoreVector(model, extractFeatures(text.slice(window.start, window.end), model.features));
    if (score > best.score) best = { score, ...window };
  }
  return best;
}
