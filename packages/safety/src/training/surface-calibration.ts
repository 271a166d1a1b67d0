import type { SafetySurface } from '@agentd/spec';
import { extractFeatures, type SparseVector } from '../classifier/features.js';
import type { LinearModel } from '../classifier/linear-model.js';
import { scoreVector } from '../classifier/linear-model.js';
import { maskIndices, type SurfaceScoring } from '../classifier/surface-scoring.js';
import { textWindows } from '../classifier/windows.js';
import { thresholdAtFpr } from './metrics.js';

/** Signals left out where text is data or the assistant's own answer: harmful-request words are everyday technical words there. */
export const DATA_MASK: readonly string[] = ['harmful'];
/** Surfaces calibrated on benign documents with DATA_MASK; user input keeps the out-of-source thresholds and every signal. */
export const DOCUMENT_SURFACES: readonly SafetySurface[] = ['tool_output', 'file', 'memory', 'model_output'];

/** A text's window features, computed once and scored by many models. */
export interface CachedText {
  group: string;
  windows: SparseVector[];
}

export function cacheTexts(
  docs: readonly { group: string; text: string }[],
  model: Pick<LinearModel, 'features' | 'window'>,
): CachedText[] {
  return docs.map(({ group, text }) => ({
    group,
    windows: textWindows(text, model.window.size, model.window.stride).map((w) =>
      extractFeatures(text.slice(w.start, w.end), model.features),
    ),
  }));
}

/** The text's score: its highest window's, with the masked features left out. */
export function cachedScore(model: LinearModel, text: CachedText, mask: ReadonlySet<number>): number {
  let best = 0;
  for (const vector of text.windows) best = Math.max(best, scoreVector(model, vector, mask));
  return best;
}

/**
 * A threshold no benign group passes more than `maxFpr` of: the highest of
 * each group's own FPR threshold, so that Python's documentation cannot hide
 * behind Debian's. Just above it, since the phase blocks at or above.
 */
export function thresholdOverGroups(
  scores: readonly number[],
  groups: readonly string[],
  maxFpr: number,
): number {
  let threshold = 0;
  for (const group of new Set(groups)) {
    const own = scores.filter((_, i) => groups[i] === group);
    threshold = Math.max(
      threshold,
      thresholdAtFpr(
        own,
        own.map(() => 0 as const),
        maxFpr,
      ),
    );
  }
  return Math.min(1, threshold + 1e-6);
}

/**
 * The per-surface scoring stored with the weights: user input keeps the
 * model's out-of-source thresholds; on tool output, files, memories and the
 * streamed answer the harmful-request signal is masked and the thresholds
 * are set on benign documents (`calibrate` half of benignDocuments): block
 * where each group's FPR is <= 0.02, but never above the out-of-source block
 * threshold, and flag where it is <= 0.10 (at most `block`). The harmful
 * signal's weight is positive, so the mask only lowers a score, and only where
 * harmful-request words fire: capped there, the data surfaces block every
 * text the one pair blocked for what it asks of the assistant rather than for
 * the words it uses (ADR-0016, sixth session: a threshold set on documents
 * alone rose to 0.834 and let web injections at 0.74 to 0.82 through).
 */
export function calibrateSurfaces(
  model: LinearModel,
  benign: readonly CachedText[],
): Partial<Record<SafetySurface, SurfaceScoring>> {
  const data = dataSurfaceScoring(model, benign, model.thresholds.block);
  return {
    user_input: { ...model.thresholds },
    ...Object.fromEntries(DOCUMENT_SURFACES.map((surface) => [surface, { ...data }])),
  };
}

/** The data surfaces' scoring: thresholds from benign documents, `block` capped at `maxBlock`. */
export function dataSurfaceScoring(
  model: LinearModel,
  benign: readonly CachedText[],
  maxBlock: number,
): SurfaceScoring {
  const mask = maskIndices(model, DATA_MASK);
  const scores = benign.map((text) => cachedScore(model, text, mask));
  const groups = benign.map((text) => text.group);
  const block = Math.min(thresholdOverGroups(scores, groups, 0.02), maxBlock);
  return { flag: Math.min(thresholdOverGroups(scores, groups, 0.1), block), block, mask: DATA_MASK };
}
