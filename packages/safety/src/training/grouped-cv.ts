import type { LinearModel } from '../classifier/linear-model.js';
import { scoreText } from '../classifier/linear-model.js';
import type { Row } from './dataset.js';
import { type TrainOptions, trainModel } from './train-model.js';

/**
 * Leave-one-repository-out validation: for each repository, a model trained
 * on all the others scores its rows. Every score is out of source.
 */
export function outOfSourceScores(rows: readonly Row[], options: TrainOptions): number[] {
  return outOfSource(rows, options).scores;
}

/** The out-of-source scores and the model that gave each repository's (trained without it). */
export function outOfSource(
  rows: readonly Row[],
  options: TrainOptions,
): { scores: number[]; models: Map<string, LinearModel> } {
  const scores = new Array<number>(rows.length).fill(0);
  const models = new Map<string, LinearModel>();
  for (const repo of new Set(rows.map((row) => row.repo))) {
    const model = trainModel(
      rows.filter((row) => row.repo !== repo),
      options,
    );
    models.set(repo, model);
    rows.forEach((row, i) => {
      if (row.repo === repo) scores[i] = scoreText(model, row.text).score;
    });
  }
  return { scores, models };
}

export type { LinearModel };
