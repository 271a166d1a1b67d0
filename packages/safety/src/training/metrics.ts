/** ROC AUC by the rank-sum (Mann-Whitney) formula, ties counted as half. */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((score, i) => ({ score, label: labels[i] })).sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]?.score === order[i]?.score) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (order[k]?.label === 1) {
        rankSum += rank;
        positives++;
      }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The lowest threshold (scores strictly above it count as attacks) whose false-positive rate stays within maxFpr. */
export function thresholdAtFpr(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
  maxFpr: number,
): number {
  const negatives = scores.filter((_, i) => labels[i] === 0).sort((a, b) => b - a);
  const allowed = Math.floor(maxFpr * negatives.length);
  return negatives[allowed] ?? 0;
}

export function rates(
  scores: readonly number[],
  labels: readonly (0 | 1)[],
  threshold: number,
): { tpr: number; fpr: number; positives: number; negatives: number } {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = (scores[i] as number) > threshold;
    if (labels[i] === 1) {
      positives++;
      if (flagged) tp++;
    } else if (flagged) fp++;
  }
  const negatives = scores.length - positives;
  return {
    tpr: positives ? tp / positives : Number.NaN,
    fpr: negatives ? fp / negatives : Number.NaN,
    positives,
    negatives,
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
