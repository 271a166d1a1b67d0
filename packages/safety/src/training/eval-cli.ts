import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
// npm run eval:safety: the classifier and the pipeline without the judge, validated out of source
// (leave one repository out: every row is scored by a model trained without its repository).
import { createClassifierPhase } from '../classifier/classifier-phase.js';
import { scoreText } from '../classifier/linear-model.js';
import { loadModel } from '../classifier/weights-file.js';
import { createRulesPhase, findAll } from '../rules/rules-phase.js';
import { DATA_FILES } from './data-files.js';
import { type Row, readRows } from './dataset.js';
import { externalBenignChunks } from './external-benign.js';
import { outOfSource } from './grouped-cv.js';
import { longTexts, phaseLatency } from './latency.js';
import { rates, rocAuc, thresholdAtFpr } from './metrics.js';
import { reportSurfaces } from './surface-eval.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from './train-model.js';

const ATTACK_CATEGORIES = new Set(['prompt_injection', 'jailbreak', 'encoded_payload']);

const rows = readRows(DATA_FILES);
const labels = rows.map((row) => row.label);
console.log(
  `${rows.length} rows, ${rows.filter((r) => r.label === 1).length} attacks, ${new Set(rows.map((r) => r.repo)).size} repositories; leave-one-repository-out\n`,
);

const { scores: classifier, models: foldModels } = outOfSource(rows, DEFAULT_TRAIN_OPTIONS);
report('classifier (out of source)', classifier);

// The pipeline without the judge: a text's score is the highest of the classifier's and the rules' attack scores.
const pipeline = rows.map((row, i) => {
  const ruleScore = Math.max(
    0,
    ...findAll({ text: row.text, surface: 'tool_output' })
      .filter((f) => ATTACK_CATEGORIES.has(f.category))
      .map((f) => f.score),
  );
  return Math.max(classifier[i] as number, ruleScore);
});
report('pipeline without the judge: max(classifier, rules) (out of source)', pipeline);

// For comparison only: a random 5-fold split, where the same templates are on both sides.
const random = randomSplitScores(rows, 5);
console.log(
  `\nfor comparison, a random 5-fold split (templates leak across folds): AUC ${rocAuc(random, labels).toFixed(3)}, TPR ${rates(random, labels, thresholdAtFpr(random, labels, 0.02)).tpr.toFixed(3)} at FPR <= 0.02`,
);

// Benign text unlike the training files: how often the shipped model would flag or block it.
const model = loadModel();
const external = externalBenignChunks(fileURLToPath(new URL('../../../../', import.meta.url)));
console.log('\ncommitted weights on benign 4,000-character chunks of kinds the training files lack:');
for (const kind of ['docs', 'code'] as const) {
  const chunks = external.filter((chunk) => chunk.kind === kind);
  const scores = chunks.map((chunk) => scoreText(model, chunk.text).score);
  const share = (at: number) =>
    (scores.filter((score) => score >= at).length / Math.max(1, scores.length)).toFixed(3);
  const what =
    kind === 'docs' ? 'Debian package docs (/usr/share/doc)' : "this repository's TypeScript sources";
  console.log(
    `  ${what}: ${chunks.length} chunks, blocked ${share(model.thresholds.block)}, flagged or blocked ${share(model.thresholds.flag)}`,
  );
}

console.log('');
reportSurfaces({
  rows,
  scores: classifier,
  models: foldModels,
  threshold: thresholdAtFpr(classifier, labels, 0.02),
  shipped: model,
  repoRoot: fileURLToPath(new URL('../../../../', import.meta.url)),
});

const texts = longTexts(rows, 300, 4000);
console.log(
  `\nlatency on ${texts.length} texts of 4,000 characters x 3 (committed weights), ms (load average ${loadavg()[0]?.toFixed(1)}):`,
);
for (const phase of [createRulesPhase(), createClassifierPhase({ model })]) {
  const { cpu, wall } = await phaseLatency(phase, texts);
  console.log(
    `  ${phase.name.padEnd(10)} CPU p50 ${cpu.p50.toFixed(2)}  p99 ${cpu.p99.toFixed(2)}   wall p50 ${wall.p50.toFixed(2)}  p99 ${wall.p99.toFixed(2)}`,
  );
}

function report(title: string, scores: readonly number[]): void {
  const t2 = thresholdAtFpr(scores, labels, 0.02);
  const t1 = thresholdAtFpr(scores, labels, 0.01);
  const at2 = rates(scores, labels, t2);
  const at1 = rates(scores, labels, t1);
  console.log(`${title}\n  ROC AUC ${rocAuc(scores, labels).toFixed(3)}`);
  console.log(
    `  TPR ${at2.tpr.toFixed(3)} at FPR ${at2.fpr.toFixed(3)} (<= 0.02, threshold ${t2.toFixed(3)})`,
  );
  console.log(
    `  TPR ${at1.tpr.toFixed(3)} at FPR ${at1.fpr.toFixed(3)} (<= 0.01, threshold ${t1.toFixed(3)})`,
  );
  console.log('  per repository at the FPR <= 0.02 threshold, worst first:');
  const perRepo = [...new Set(rows.map((r) => r.repo))].map((repo) => {
    const idx = rows.flatMap((r, i) => (r.repo === repo ? [i] : []));
    const r = rates(
      idx.map((i) => scores[i] as number),
      idx.map((i) => labels[i] as 0 | 1),
      t2,
    );
    // Worst: how far below TPR 0.75 or above FPR 0.05, whichever is worse.
    const badness = Math.max(
      Number.isNaN(r.tpr) ? -1 : 0.75 - r.tpr,
      Number.isNaN(r.fpr) ? -1 : r.fpr - 0.05,
    );
    return { repo, ...r, badness };
  });
  for (const r of perRepo.sort((a, b) => b.badness - a.badness)) {
    const tpr = r.positives ? `TPR ${r.tpr.toFixed(3)} of ${r.positives}` : '';
    const fpr = r.negatives ? `FPR ${r.fpr.toFixed(3)} of ${r.negatives}` : '';
    console.log(`    ${r.repo.padEnd(30)} ${tpr.padEnd(20)} ${fpr}`);
  }
  console.log('');
}

function randomSplitScores(all: readonly Row[], folds: number): number[] {
  const fold = all.map((_, i) => (Math.imul(i + 1, 2654435761) >>> 0) % folds);
  const scores = new Array<number>(all.length).fill(0);
  for (let f = 0; f < folds; f++) {
    const model = trainModel(
      all.filter((_, i) => fold[i] !== f),
      DEFAULT_TRAIN_OPTIONS,
    );
    all.forEach((row, i) => {
      if (fold[i] === f) scores[i] = scoreText(model, row.text).score;
    });
  }
  return scores;
}
