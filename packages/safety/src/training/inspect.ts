// Prints the highest-scoring benign rows and the lowest-scoring attacks, out of source.
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { outOfSourceScores } from './grouped-cv.js';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './train-model.js';

const rows = readRows(DATA_FILES);
const override = JSON.parse(process.argv[2] ?? '{}') as Partial<TrainOptions>;
const scores = outOfSourceScores(rows, { ...DEFAULT_TRAIN_OPTIONS, ...override });
const order = rows.map((row, i) => ({ row, score: scores[i] as number }));
const show = (list: typeof order) => {
  for (const { row, score } of list)
    console.log(score.toFixed(3), row.repo.slice(0, 20).padEnd(20), JSON.stringify(row.text.slice(0, 150)));
};
console.log('benign, highest:');
show(
  order
    .filter((o) => o.row.label === 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 40),
);
console.log('attacks, lowest, per repo:');
for (const repo of new Set(rows.map((r) => r.repo)))
  show(
    order
      .filter((o) => o.row.label === 1 && o.row.repo === repo)
      .sort((a, b) => a.score - b.score)
      .slice(0, 6),
  );
