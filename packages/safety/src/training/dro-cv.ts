// Plain leave-one-repository-out of worst-group reweighting (dro-recipe.ts) beside the committed recipe,
// on cached windows: node packages/safety/dist/training/dro-cv.js [eta ...]
// Plain figures only; a candidate ahead here still needs nested-cv.js (set `dro`) to be adopted.
import { loadavg } from 'node:os';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { droRecipe } from './dro-recipe.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { linearRecipe, outOfSourceScores, type Recipe } from './recipes.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { cacheWindows } from './window-cache.js';

const etas = process.argv.slice(2).map(Number);
const rows = readRows(DATA_FILES);
const labels = rows.map((r) => r.label);
const cache = cacheWindows(rows, DEFAULT_TRAIN_OPTIONS.features, DEFAULT_TRAIN_OPTIONS.window);
const recipes: Record<string, Recipe> = {
  committed: linearRecipe(),
  ...Object.fromEntries((etas.length ? etas : [1]).map((eta) => [`dro_eta${eta}`, droRecipe({ eta })])),
};
for (const [name, recipe] of Object.entries(recipes)) {
  const scores = outOfSourceScores(recipe, cache, rows);
  const t2 = thresholdAtFpr(scores, labels, 0.02);
  const t1 = thresholdAtFpr(scores, labels, 0.01);
  console.log(
    `${name.padEnd(14)} AUC ${rocAuc(scores, labels).toFixed(3)}  TPR@0.02 ${rates(scores, labels, t2).tpr.toFixed(3)}  TPR@0.01 ${rates(scores, labels, t1).tpr.toFixed(3)}  (load ${loadavg()[0]?.toFixed(1)})`,
  );
}
