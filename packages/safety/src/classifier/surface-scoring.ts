import type { SafetySurface } from '@agentd/spec';
import { hash } from './features.js';
import type { LinearModel, SurfaceScoring } from './linear-model.js';

export type { SurfaceScoring };

/** Thresholds and masked feature indices for one surface of a model. */
export interface ResolvedSurfaceScoring {
  thresholds: { flag: number; block: number };
  mask: ReadonlySet<number>;
}

/**
 * The model's scoring on a surface: the surface's calibration stored with
 * the weights, or the model's one pair of thresholds and no mask (weights
 * files from before per-surface calibration).
 */
export function surfaceScoring(model: LinearModel, surface: SafetySurface): ResolvedSurfaceScoring {
  const own = model.surfaces?.[surface];
  return {
    thresholds: own ? { flag: own.flag, block: own.block } : { ...model.thresholds },
    mask: maskIndices(model, own?.mask ?? []),
  };
}

/** The classifier's thresholds on a surface (what callers that set their own thresholds start from). */
export function surfaceThresholds(
  model: LinearModel,
  surface: SafetySurface,
): { flag: number; block: number } {
  return surfaceScoring(model, surface).thresholds;
}

export function maskIndices(model: LinearModel, signals: readonly string[]): ReadonlySet<number> {
  return new Set(signals.map((name) => hash(`s:${name}`, model.features.dim)));
}
