// Writes leave-one-repository-out scores of the committed recipe to a JSON file, for reading rows by hand:
//   node packages/safety/dist/training/dump-scores.js /tmp/scores.json
import { writeFileSync } from 'node:fs';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { linearRecipe } from './recipes.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { cacheWindows } from './window-cache.js';

const rows = readRows(DATA_FILES);
const cache = cacheWindows(rows, DEFAULT_TRAIN_OPTIONS.features, DEFAULT_TRAIN_OPTIONS.window);
const recipe = linearRecipe();
const scores = new Array<number>(rows.length).fill(0);
for (const repo of new Set(rows.map((r) => r.repo))) {
  const train = rows.flatMap((r, i) => (r.repo !== repo ? [i] : []));
  const scorer = recipe(cache, train);
  rows.forEach((r, i) => {
    if (r.repo === repo) scores[i] = scorer(i);
  });
}
writeFileSync(
  process.argv[2] ?? '/tmp/scores.json',
  JSON.stringify(rows.map((r, i) => ({ repo: r.repo, label: r.label, score: scores[i], text: r.text }))),
);
