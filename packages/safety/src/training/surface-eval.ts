import { SAFETY_SURFACES } from '@agentd/spec';
import type { LinearModel } from '../classifier/linear-model.js';
import { scoreText } from '../classifier/linear-model.js';
import { maskIndices, surfaceScoring } from '../classifier/surface-scoring.js';
import { BENIGN_GROUPS, benignDocuments } from './benign-documents.js';
import type { Row } from './dataset.js';
import { thresholdAtFpr } from './metrics.js';
import {
  type CachedText,
  cachedScore,
  cacheTexts,
  DATA_MASK,
  dataSurfaceScoring,
} from './surface-calibration.js';

const INDIRECT = ['microsoft/BIPIA', 'greshake/llm-security'];
const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '-');

/**
 * Per surface: how much benign text of this machine the shipped weights
 * block and flag before (one pair of thresholds, every signal) and after
 * (each surface's calibration), on the `check` half of the documents, which
 * calibration never saw; and the TPR on indirect attacks out of source,
 * each repository's rows scored by a model trained without it, whose data
 * surfaces were calibrated by the same procedure as the shipped weights'.
 */
export function reportSurfaces(input: {
  rows: readonly Row[];
  scores: readonly number[];
  models: ReadonlyMap<string, LinearModel>;
  /** The out-of-source FPR <= 0.02 threshold (one for every surface before). */
  threshold: number;
  shipped: LinearModel;
  repoRoot: string;
}): void {
  const { rows, scores, models, threshold, shipped } = input;
  const check = cacheTexts(benignDocuments('check', input.repoRoot), shipped);
  const plain = check.map((text) => cachedScore(shipped, text, new Set()));
  const masked = check.map((text) => cachedScore(shipped, text, maskIndices(shipped, DATA_MASK)));
  console.log(
    `per surface, shipped weights on benign 4,000-character chunks never calibrated on (${BENIGN_GROUPS.map((g) => `${g} ${check.filter((t) => t.group === g).length}`).join(', ')}), blocked / flagged or blocked, before -> after:`,
  );
  for (const surface of SAFETY_SURFACES) {
    const { thresholds, mask } = surfaceScoring(shipped, surface);
    const after = mask.size > 0 ? masked : plain;
    const cells = BENIGN_GROUPS.map((group) => {
      const idx = check.flatMap((t, i) => (t.group === group ? [i] : []));
      const share = (s: readonly number[], at: number) =>
        pct(idx.filter((i) => (s[i] as number) >= at).length, idx.length);
      return `${group} ${share(plain, shipped.thresholds.block)} -> ${share(after, thresholds.block)} / ${share(plain, shipped.thresholds.flag)} -> ${share(after, thresholds.flag)}`;
    });
    console.log(`  ${surface.padEnd(13)} ${cells.join('   ')}`);
  }

  // Each fold model calibrated as the shipped one is, on the calibrate half, its block threshold capped at the
  // FPR <= 0.02 threshold of the other repositories' out-of-source scores; then its held-out rows scored masked.
  const calibrate: CachedText[] = cacheTexts(benignDocuments('calibrate', input.repoRoot), shipped);
  const labels = rows.map((row) => row.label);
  const afterScores = new Array<number>(rows.length).fill(0);
  const afterBlock = new Array<number>(rows.length).fill(1);
  const afterFlag = new Array<number>(rows.length).fill(1);
  for (const [repo, model] of models) {
    const mask = maskIndices(model, DATA_MASK);
    const others = rows.flatMap((row, i) => (row.repo !== repo ? [i] : []));
    const cap = thresholdAtFpr(
      others.map((i) => scores[i] as number),
      others.map((i) => labels[i] as 0 | 1),
      0.02,
    );
    const { block, flag } = dataSurfaceScoring(model, calibrate, cap);
    rows.forEach((row, i) => {
      if (row.repo !== repo) return;
      afterScores[i] = scoreText(model, row.text, mask).score;
      afterBlock[i] = block;
      afterFlag[i] = flag;
    });
  }
  const rate = (pick: (row: Row) => boolean, hit: (i: number) => boolean) => {
    const idx = rows.flatMap((row, i) => (pick(row) ? [i] : []));
    return `${pct(idx.filter(hit).length, idx.length)} of ${idx.length}`;
  };
  const before = (i: number) => (scores[i] as number) > threshold;
  const after = (i: number) => (afterScores[i] as number) >= (afterBlock[i] as number);
  const flagged = (i: number) => (afterScores[i] as number) >= (afterFlag[i] as number);
  console.log(
    '\nout of source, at the block threshold: indirect attacks caught, clean contexts and all benign rows blocked',
  );
  for (const [name, hit] of [
    ['before, every surface', before],
    ...SAFETY_SURFACES.map(
      (s) => [`after, ${s}`, surfaceScoring(shipped, s).mask.size > 0 ? after : before] as const,
    ),
    // What a judge in the flag band would be shown on a data surface.
    ['flag band, data surfaces', flagged],
  ] as const) {
    console.log(
      `  ${name.padEnd(26)} BIPIA TPR ${rate((r) => r.repo === INDIRECT[0] && r.label === 1, hit)}, greshake TPR ${rate((r) => r.repo === INDIRECT[1] && r.label === 1, hit)}, BIPIA clean FPR ${rate((r) => r.repo === INDIRECT[0] && r.label === 0, hit)}; all attacks TPR ${rate((r) => r.label === 1, hit)}, all benign FPR ${rate((r) => r.label === 0, hit)}`,
    );
  }
}
