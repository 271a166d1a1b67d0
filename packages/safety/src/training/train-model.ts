import type { FeatureOptions } from '../classifier/features.js';
import { hash } from '../classifier/features.js';
import type { LinearModel } from '../classifier/linear-model.js';
import { insertAttacks } from './augment.js';
import type { Row } from './dataset.js';
import { reweightWorstGroups } from './group-reweight.js';
import { trainLogistic } from './logistic.js';
import { buildSamples } from './samples.js';

export interface TrainOptions {
  features: FeatureOptions;
  window: { size: number; stride: number };
  l2: number;
  balance: number;
  /** How many synthetic indirect injections to add (see insertAttacks). */
  augment: number;
  /** The prior weight of each attack signal (see ATTACK_SIGNALS); 0 learns them from the data alone. */
  signalPrior: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Worst-group reweighting (group-reweight.ts): 0 trains once; eta > 0 trains again with the groups reweighted. */
  groupReweight: number;
}

/**
 * Signals that mean an attack wherever they appear. A signal seen mostly in
 * one source would otherwise get its weight from that source alone, and none
 * when that source is held out (or absent, as new attack styles are): a
 * prior weight says what the signal means before the data is read.
 */
export const ATTACK_SIGNALS = [
  'override',
  'override_short',
  'new_instructions',
  'unrestricted',
  'extraction',
  'safety_off',
  'code_exec',
  'role_marker',
  'authority',
  'compliance_prefix',
  'exfiltration',
  'rot13_signal',
  'morse',
  'must_obey',
  'persona',
  'encoding_trick',
];

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: { dim: 1 << 18, charGrams: false, bagScale: 0.3 },
  window: { size: 512, stride: 256 },
  l2: 1e-3,
  balance: 1,
  augment: 0,
  signalPrior: 1,
  epochs: 4,
  learningRate: 0.2,
  seed: 20261206,
  groupReweight: 1,
};

/** Trains one model on the rows; thresholds are placeholders until set from out-of-source scores. */
export function trainModel(rows: readonly Row[], options: TrainOptions): LinearModel {
  const samples = buildSamples([...rows, ...insertAttacks(rows, options.augment, options.seed)], options);
  const logistic = {
    dim: options.features.dim,
    l2: options.l2,
    epochs: options.epochs,
    learningRate: options.learningRate,
    seed: options.seed,
    priors: new Map(
      ATTACK_SIGNALS.map((name) => [hash(`s:${name}`, options.features.dim), options.signalPrior]),
    ),
  };
  const first = trainLogistic(samples, logistic);
  const { weights, bias } =
    options.groupReweight > 0
      ? trainLogistic(reweightWorstGroups(samples, first, options.groupReweight), logistic)
      : first;
  return {
    version: 'injection-classifier-1',
    features: options.features,
    window: options.window,
    weights,
    bias,
    thresholds: { flag: 0.5, block: 0.5 },
  };
}
