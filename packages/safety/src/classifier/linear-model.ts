import type { SafetySurface } from '@agentd/spec';
import { extractFeatures, type FeatureOptions, type SparseVector } from './features.js';
import { textWindows } from './windows.js';

/** How the classifier reads one surface: its thresholds, and the signals it leaves out there. */
export interface SurfaceScoring {
  flag: number;
  block: number;
  /** Signals (by name, e.g. `harmful`) whose features are not scored on this surface. */
  mask?: readonly string[];
}

/** A trained logistic regression over hashed features, with the thresholds chosen out of source. */
export interface LinearModel {
  version: string;
  features: FeatureOptions;
  window: { size: number; stride: number };
  weights: Float32Array;
  bias: number;
  /** Scores at or above `block` are attacks; between `flag` and `block` the classifier is unsure. */
  thresholds: { flag: number; block: number };
  /** Per-surface thresholds and masked signals, calibrated on text of that surface (`thresholds` elsewhere). */
  surfaces?: Partial<Record<SafetySurface, SurfaceScoring>>;
}

const NO_MASK: ReadonlySet<number> = new Set();

/** The window's probability; features whose index is in `mask` are left out. */
export function scoreVector(
  model: LinearModel,
  vector: SparseVector,
  mask: ReadonlySet<number> = NO_MASK,
): number {
  let z = model.bias;
  for (let i = 0; i < vector.indices.length; i++) {
    const index = vector.indices[i] as number;
    if (mask.size === 0 || !mask.has(index)) z += (model.weights[index] ?? 0) * (vector.values[i] as number);
  }
  return 1 / (1 + Math.exp(-z));
}

/** The text's score: the highest of its windows', and where that window is. */
export function scoreText(
  model: LinearModel,
  text: string,
  mask: ReadonlySet<number> = NO_MASK,
): { score: number; start: number; end: number } {
  let best = { score: 0, start: 0, end: text.length };
  for (const window of textWindows(text, model.window.size, model.window.stride)) {
    const score = scoreVector(
      model,
      extractFeatures(text.slice(window.start, window.end), model.features),
      mask,
    );
    if (score > best.score) best = { score, ...window };
  }
  return best;
}
