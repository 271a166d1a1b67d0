// The tool-output surface alone: indirect attacks (BIPIA, greshake) against benign text a tool returns
// (BIPIA's clean contexts, held-out Debian and Python documentation, this repository's TypeScript),
// each training-file row scored out of source; the committed recipe as is, and with the harmful-vocabulary
// signal masked when scoring (trained with it). node packages/safety/dist/training/surface-cv.js
import { fileURLToPath } from 'node:url';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { externalBenignChunks } from './external-benign.js';
import { localBenignRows } from './local-benign.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { linearRecipe, outOfSourceScores, type Recipe } from './recipes.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { cacheWindows } from './window-cache.js';

const INDIRECT = new Set(['microsoft/BIPIA', 'greshake/llm-security']);
const rows = readRows(DATA_FILES);
const local = [
  ...localBenignRows('check', { docs: 3000 }),
  ...externalBenignChunks(fileURLToPath(new URL('../../../../', import.meta.url)))
    .filter((c) => c.kind === 'code')
    .map((c) => ({ text: c.text, label: 0 as const, repo: 'local/ts' })),
];
const o = DEFAULT_TRAIN_OPTIONS;
const cache = cacheWindows([...rows, ...local], o.features, o.window);
const n = rows.length;
for (const [name, recipe] of Object.entries<Recipe>({
  committed: linearRecipe(),
  harmful_masked_on_tool_output: linearRecipe({ scoreWithout: ['harmful'] }),
})) {
  const scores = outOfSourceScores(recipe, cache, rows, n + local.length);
  const full = recipe(
    cache,
    rows.map((_, i) => i),
  );
  local.forEach((_, k) => {
    scores[n + k] = full(n + k);
  });
  const idx = [...rows.flatMap((r, i) => (INDIRECT.has(r.repo) ? [i] : [])), ...local.map((_, k) => n + k)];
  const s = idx.map((i) => scores[i]!);
  const y = idx.map((i) => (i < n ? rows[i]!.label : 0));
  const t = thresholdAtFpr(s, y, 0.02);
  const r = rates(s, y, t);
  console.log(
    `${name}: tool-output texts ${idx.length}, AUC ${rocAuc(s, y).toFixed(3)}, TPR ${r.tpr.toFixed(3)} at FPR ${r.fpr.toFixed(3)} (<= 0.02)`,
  );
  for (const group of [
    'microsoft/BIPIA',
    'greshake/llm-security',
    'local/debian-docs',
    'local/python-docs',
    'local/ts',
  ]) {
    const g = idx.filter((i) => (i < n ? rows[i]!.repo : local[i - n]!.repo) === group);
    const gr = rates(
      g.map((i) => scores[i]!),
      g.map((i) => (i < n ? rows[i]!.label : 0)),
      t,
    );
    console.log(
      `  ${group.padEnd(24)} TPR ${gr.tpr.toFixed(3)} (${gr.positives})  FPR ${gr.fpr.toFixed(3)} (${gr.negatives})`,
    );
  }
}
