// Nested leave-one-repository-out validation of several model recipes and their blends:
//   node packages/safety/dist/training/nested-cv.js [trees|linear|local]   (the candidate set; linear by default;
//   local: with and without benign text of this machine as extra training negatives, see local-benign.ts;
//   dro [eta ...]: the committed recipe and worst-group reweighting at each eta, 2 by default, dro-recipe.ts)
// For each held-out repository, the candidate (a recipe, or a blend of two) is chosen by its
// TPR at FPR <= 0.02 under leave-one-repository-out INSIDE the other repositories only; the chosen
// candidate, trained on all the other repositories, scores the held-out one. The nested figures
// are over those scores; the per-candidate figures beside them are plain LORO (chosen on nothing).
import { loadavg } from 'node:os';
import { DATA_FILES } from './data-files.js';
import { readRows } from './dataset.js';
import { droRecipe } from './dro-recipe.js';
import { localBenignRows } from './local-benign.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { boostedRecipe, linearRecipe, logit, type Recipe, type Scorer } from './recipes.js';
import { DEFAULT_TRAIN_OPTIONS } from './train-model.js';
import { cacheWindows } from './window-cache.js';

const set = ['trees', 'local', 'dro'].includes(process.argv[2] ?? '')
  ? (process.argv[2] as string)
  : 'linear';
const rows = readRows(DATA_FILES);
/** Local negatives: cached after the rows, added to every training set, never scored. */
const extra = set === 'local' ? localBenignRows('train') : [];
const extraIdx = extra.map((_, k) => rows.length + k);
const withExtra =
  (recipe: Recipe): Recipe =>
  (cache, train) =>
    recipe(cache, [...train, ...extraIdx]);
const BASES: Record<string, Recipe> =
  set === 'dro'
    ? {
        linear: linearRecipe(),
        // nested-cv.js dro [eta ...]: worst-group reweighting at each eta (2 by default).
        ...Object.fromEntries(
          (process.argv.length > 3 ? process.argv.slice(3).map(Number) : [2]).map((eta) => [
            `dro_eta${eta}`,
            droRecipe({ eta }),
          ]),
        ),
      }
    : set === 'local'
      ? {
          linear: linearRecipe(),
          linear_prior2: linearRecipe({ signalPrior: 2 }),
          local: withExtra(linearRecipe()),
          local_prior2: withExtra(linearRecipe({ signalPrior: 2 })),
        }
      : set === 'trees'
        ? {
            linear: linearRecipe(),
            linear_prior2: linearRecipe({ signalPrior: 2 }),
            trees_d2: boostedRecipe({ trees: 150, depth: 2, learningRate: 0.1 }),
            trees_d3: boostedRecipe({ trees: 150, depth: 3, learningRate: 0.05, minLeaf: 10 }),
          }
        : {
            linear: linearRecipe(),
            linear_prior2: linearRecipe({ signalPrior: 2 }),
            linear_actions: linearRecipe({ actions: true }),
            linear_augment: linearRecipe({ augment: 600 }),
            linear_actions_augment: linearRecipe({ actions: true, augment: 600 }),
          };
/** Candidates: each base alone and, for the trees, logit blends of a linear and a tree model. */
const CANDIDATES: Record<string, (s: Record<string, number>) => number> = {
  ...Object.fromEntries(Object.keys(BASES).map((name) => [name, (s: Record<string, number>) => s[name]!])),
};
if (set === 'trees')
  for (const lin of ['linear', 'linear_prior2'])
    for (const tree of ['trees_d2', 'trees_d3'])
      for (const a of [0.3, 0.5, 0.7])
        CANDIDATES[`${lin}*${a}+${tree}`] = (s) => a * logit(s[lin]!) + (1 - a) * logit(s[tree]!);

const started = Date.now();
const log = (message: string) =>
  console.error(
    `[${((Date.now() - started) / 1000).toFixed(0)}s load ${loadavg()[0]?.toFixed(1)}] ${message}`,
  );

const cache = cacheWindows([...rows, ...extra], DEFAULT_TRAIN_OPTIONS.features, DEFAULT_TRAIN_OPTIONS.window);
log(`cached ${cache.reduce((n, c) => n + c.sparse.length, 0)} windows of ${rows.length} rows`);
const labels = rows.map((r) => r.label);
const repos = [...new Set(rows.map((r) => r.repo))];
const indicesOf = (keep: (repo: string) => boolean) => rows.flatMap((r, i) => (keep(r.repo) ? [i] : []));

/** Base scores of `target` rows from models trained on `train` rows. */
function baseScores(train: number[], target: number[]): Map<number, Record<string, number>> {
  const scorers: Record<string, Scorer> = {};
  for (const [name, recipe] of Object.entries(BASES)) scorers[name] = recipe(cache, train);
  return new Map(
    target.map((i) => [i, Object.fromEntries(Object.entries(scorers).map(([n, s]) => [n, s(i)]))]),
  );
}

function tprAt2(scores: number[], ys: (0 | 1)[]): number {
  return rates(scores, ys, thresholdAtFpr(scores, ys, 0.02)).tpr;
}

const nested = new Array<number>(rows.length).fill(0);
const plain: Record<string, number[]> = Object.fromEntries(
  Object.keys(CANDIDATES).map((n) => [n, new Array<number>(rows.length).fill(0)]),
);
const chosen: string[] = [];
for (const outer of repos) {
  const innerRepos = repos.filter((r) => r !== outer);
  const inner = new Map<number, Record<string, number>>();
  for (const held of innerRepos) {
    const train = indicesOf((r) => r !== outer && r !== held);
    for (const [i, s] of baseScores(
      train,
      indicesOf((r) => r === held),
    ))
      inner.set(i, s);
  }
  const innerIdx = [...inner.keys()];
  const innerLabels = innerIdx.map((i) => labels[i]!);
  let best = '';
  let bestTpr = -1;
  for (const [name, combine] of Object.entries(CANDIDATES)) {
    const tpr = tprAt2(
      innerIdx.map((i) => combine(inner.get(i)!)),
      innerLabels,
    );
    if (tpr > bestTpr) {
      bestTpr = tpr;
      best = name;
    }
  }
  const target = indicesOf((r) => r === outer);
  const outerScores = baseScores(
    indicesOf((r) => r !== outer),
    target,
  );
  for (const i of target) {
    const s = outerScores.get(i)!;
    nested[i] = CANDIDATES[best]!(s);
    for (const [name, combine] of Object.entries(CANDIDATES)) plain[name]![i] = combine(s);
  }
  chosen.push(`${outer}: ${best} (inner TPR ${bestTpr.toFixed(3)})`);
  log(`${outer}: chose ${best}, inner TPR@2% ${bestTpr.toFixed(3)}`);
}

function report(title: string, scores: number[]): void {
  const t2 = thresholdAtFpr(scores, labels, 0.02);
  const t1 = thresholdAtFpr(scores, labels, 0.01);
  console.log(
    `${title.padEnd(34)} AUC ${rocAuc(scores, labels).toFixed(3)}  TPR@FPR<=0.02 ${rates(scores, labels, t2).tpr.toFixed(3)}  TPR@FPR<=0.01 ${rates(scores, labels, t1).tpr.toFixed(3)}`,
  );
}
console.log(`nested leave-one-repository-out (${((Date.now() - started) / 60000).toFixed(1)} min)`);
report('NESTED (chosen per outer fold)', nested);
for (const line of chosen) console.log(`  ${line}`);
const t2 = thresholdAtFpr(nested, labels, 0.02);
for (const repo of repos) {
  const idx = indicesOf((r) => r === repo);
  const r = rates(
    idx.map((i) => nested[i]!),
    idx.map((i) => labels[i]!),
    t2,
  );
  console.log(
    `  ${repo.padEnd(32)} TPR ${r.tpr.toFixed(3)} (${r.positives})  FPR ${r.fpr.toFixed(3)} (${r.negatives})`,
  );
}
console.log('plain LORO per candidate (for comparison; choosing among these on these scores is not fair):');
for (const [name, scores] of Object.entries(plain)) report(`  ${name}`, scores);
