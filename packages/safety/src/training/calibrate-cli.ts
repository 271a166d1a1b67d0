// Sets the per-surface thresholds of a weights file (the committed ones by default) on this machine's
// benign documents, without training: node packages/safety/dist/training/calibrate-cli.js [weights.json]
// npm run train:safety does the same after training.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_WEIGHTS_URL, loadModel, serializeModel } from '../classifier/weights-file.js';
import { calibrateWeights } from './calibrate-weights.js';

const path = process.argv[2] ?? fileURLToPath(DEFAULT_WEIGHTS_URL);
const model = calibrateWeights(loadModel(path));
writeFileSync(path, serializeModel(model));
console.log(`wrote ${path}`);
