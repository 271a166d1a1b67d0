// npm run train:safety: trains the injection classifier on the safety data and writes the committed weights.
// Thresholds come from out-of-source scores (leave one repository out), not from the training rows.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEIGHTS_URL, serializeModel } from '../classifier/weights-file.js';
import { calibrateWeights } from './calibrate-weights.js';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { outOfSourceScores } from './grouped-cv.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from './train-model.js';

const rows = readRows(DATA_FILES);
console.log(`${rows.length} rows from ${new Set(rows.map((r) => r.repo)).size} repositories`);
const scores = outOfSourceScores(rows, DEFAULT_TRAIN_OPTIONS);
const labels = rows.map((row) => row.label);
const block = thresholdAtFpr(scores, labels, 0.02);
const flag = thresholdAtFpr(scores, labels, 0.1);
console.log(
  `out of source: AUC ${rocAuc(scores, labels).toFixed(3)}, block at ${block.toFixed(3)} (TPR ${rates(scores, labels, block).tpr.toFixed(3)} at FPR <= 0.02), flag at ${flag.toFixed(3)} (FPR <= 0.10)`,
);
const model = calibrateWeights({ ...trainModel(rows, DEFAULT_TRAIN_OPTIONS), thresholds: { flag, block } });
const out = process.argv[2] ?? fileURLToPath(DEFAULT_WEIGHTS_URL);
writeFileSync(out, serializeModel(model));
console.log(`wrote ${out}`);
