// A quick grouped-CV experiment with changed options: node packages/safety/dist/training/experiment.js '{"l2":1e-4}'
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { outOfSourceScores } from './grouped-cv.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './train-model.js';

const rows = readRows(DATA_FILES);
const override = JSON.parse(process.argv[2] ?? '{}') as Partial<TrainOptions>;
const options = {
  ...DEFAULT_TRAIN_OPTIONS,
  ...override,
  features: { ...DEFAULT_TRAIN_OPTIONS.features, ...override.features },
};
const started = Date.now();
const scores = outOfSourceScores(rows, options);
const labels = rows.map((row) => row.label);
const t2 = thresholdAtFpr(scores, labels, 0.02);
const t1 = thresholdAtFpr(scores, labels, 0.01);
console.log(
  JSON.stringify(override),
  `located=${rows.filter((r) => r.attack).length}`,
  `${Date.now() - started}ms`,
);
console.log(
  `AUC ${rocAuc(scores, labels).toFixed(4)}  TPR@2% ${rates(scores, labels, t2).tpr.toFixed(3)}  TPR@1% ${rates(scores, labels, t1).tpr.toFixed(3)}`,
);
for (const repo of new Set(rows.map((r) => r.repo))) {
  const idx = rows.map((r, i) => (r.repo === repo ? i : -1)).filter((i) => i >= 0);
  const r = rates(
    idx.map((i) => scores[i] as number),
    idx.map((i) => labels[i] as 0 | 1),
    t2,
  );
  console.log(
    `  ${repo.padEnd(32)} TPR ${r.tpr.toFixed(3)} (${r.positives})  FPR ${r.fpr.toFixed(3)} (${r.negatives})`,
  );
}
