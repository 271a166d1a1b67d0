import type { LinearModel } from '../classifier/linear-model.js';
import { scoreText } from '../classifier/linear-model.js';
import type { Row } from './dataset.js';
import { type TrainOptions, trainModel } from './train-model.js';

/**
 * Leave-one-repository-out validation: for each repository, a model trained
 * on all the others scores its rows. Every score is out of source.
 */
export function outOfSourceScores(rows: readonly Row[], options: TrainOptions): number[] {
  const scores = new Array<number>(rows.length).fill(0);
  for (const repo of new Set(rows.map((row) => row.repo))) {
    const model = trainModel(
      rows.filter((row) => row.repo !== repo),
      options,
    );
    rows.forEach((row, i) => {
      if (row.repo === repo) scores[i] = scoreText(model, row.text).score;
    });
  }
  return scores;
}

export type { LinearModel };
