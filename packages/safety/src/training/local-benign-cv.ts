// Leave-one-repository-out with and without benign text from this machine (local-benign.ts) as extra
// training negatives; the extra rows are only ever trained on, never scored in the 14-repository figures.
//   node packages/safety/dist/training/local-benign-cv.js
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { externalBenignChunks } from './external-benign.js';
import { localBenignRows } from './local-benign.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { linearRecipe, mlpRecipe, type Recipe } from './recipes.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { cacheWindows } from './window-cache.js';

const started = Date.now();
const log = (m: string) =>
  console.error(`[${((Date.now() - started) / 1000).toFixed(0)}s load ${loadavg()[0]?.toFixed(1)}] ${m}`);
const rows = readRows(DATA_FILES);
const extra = localBenignRows('train');
const check = [
  ...localBenignRows('check', { docs: 3000 }).map((r) => ({
    ...r,
    kind: r.repo === 'local/python-docs' ? "Python's documentation" : 'Debian docs (held-out packages)',
  })),
  ...externalBenignChunks(fileURLToPath(new URL('../../../../', import.meta.url)))
    .filter((c) => c.kind === 'code')
    .map((c) => ({ text: c.text, label: 0 as const, repo: 'local/ts', kind: 'TypeScript sources' })),
];
const o = DEFAULT_TRAIN_OPTIONS;
const cache = cacheWindows([...rows, ...extra, ...check], o.features, o.window);
log(`cached ${rows.length} rows + ${extra.length} local negatives + ${check.length} check chunks`);
const n = rows.length;
const extraIdx = extra.map((_, k) => n + k);
const checkIdx = check.map((_, k) => n + extra.length + k);
const labels = rows.map((r) => r.label);
const repos = [...new Set(rows.map((r) => r.repo))];

const variants: Record<string, { recipe: Recipe; extra: number[] }> = {
  committed: { recipe: linearRecipe(), extra: [] },
  local_negatives: { recipe: linearRecipe(), extra: extraIdx },
  no_harmful: { recipe: linearRecipe({ without: ['harmful'] }), extra: [] },
  mlp16: { recipe: mlpRecipe(), extra: [] },
  mlp16_local: { recipe: mlpRecipe(), extra: extraIdx },
  mlp8_2ep: { recipe: mlpRecipe({ hidden: 8, epochs: 2 }), extra: [] },
  local_docs_only: {
    recipe: linearRecipe(),
    extra: extraIdx.filter((i) => cache[i]!.row.repo === 'local/debian-docs'),
  },
};
const pick = process.argv[2]?.split(',');
for (const [name, v] of Object.entries(variants)) {
  if (pick && !pick.includes(name)) continue;
  const scores = new Array<number>(n).fill(0);
  for (const repo of repos) {
    const train = [...rows.flatMap((r, i) => (r.repo !== repo ? [i] : [])), ...v.extra];
    const scorer = v.recipe(cache, train);
    rows.forEach((r, i) => {
      if (r.repo === repo) scores[i] = scorer(i);
    });
  }
  if (process.env.SCORES_DIR) writeFileSync(`${process.env.SCORES_DIR}/${name}.json`, JSON.stringify(scores));
  const t2 = thresholdAtFpr(scores, labels, 0.02);
  const t1 = thresholdAtFpr(scores, labels, 0.01);
  console.log(
    `${name}: AUC ${rocAuc(scores, labels).toFixed(3)}  TPR@FPR<=0.02 ${rates(scores, labels, t2).tpr.toFixed(3)}  TPR@FPR<=0.01 ${rates(scores, labels, t1).tpr.toFixed(3)}`,
  );
  for (const repo of repos) {
    const idx = rows.flatMap((r, i) => (r.repo === repo ? [i] : []));
    const r = rates(
      idx.map((i) => scores[i]!),
      idx.map((i) => labels[i]!),
      t2,
    );
    console.log(
      `  ${repo.padEnd(32)} TPR ${r.tpr.toFixed(3)} (${r.positives})  FPR ${r.fpr.toFixed(3)} (${r.negatives})`,
    );
  }
  // The model trained on all 14 repositories (+ its extra rows) on benign text it never saw, at the LORO thresholds.
  const full = v.recipe(cache, [...rows.map((_, i) => i), ...v.extra]);
  const flag = thresholdAtFpr(scores, labels, 0.1);
  for (const kind of new Set(check.map((c) => c.kind))) {
    const idx = checkIdx.filter((_, k) => check[k]!.kind === kind);
    const s = idx.map((i) => full(i));
    const share = (t: number) => (s.filter((x) => x > t).length / s.length).toFixed(3);
    console.log(
      `  check, ${kind}: ${idx.length} chunks, blocked ${share(t2)}, flagged or blocked ${share(flag)}`,
    );
  }
  log(`${name} done`);
}
