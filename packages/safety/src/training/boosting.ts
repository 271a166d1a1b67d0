import type { BoostedTrees } from '../classifier/boosted-trees.js';

export interface BoostingOptions {
  trees: number;
  depth: number;
  learningRate: number;
  /** L2 on leaf values (added to each side's hessian). */
  lambda: number;
  /** Smallest hessian (weighted p(1-p)) a leaf may hold. */
  minLeaf: number;
  /** Quantile bins per feature. */
  bins: number;
}

export const DEFAULT_BOOSTING: BoostingOptions = {
  trees: 100,
  depth: 2,
  learningRate: 0.1,
  lambda: 1,
  minLeaf: 5,
  bins: 32,
};

/**
 * Logistic-loss gradient boosting over dense rows (x[i] has one value per
 * feature), with weights; splits are searched on quantile bins of the
 * training values, level by level (histograms of gradient and hessian).
 */
export function trainBoosted(
  x: readonly Float32Array[],
  y: readonly (0 | 1)[],
  w: readonly number[],
  options: BoostingOptions,
): BoostedTrees {
  const n = x.length;
  const f = x[0]?.length ?? 0;
  const edges = binEdges(x, f, options.bins);
  const binned = new Uint8Array(n * f);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < f; j++)
      binned[i * f + j] = binOf(edges[j] as Float32Array, (x[i] as Float32Array)[j] as number);
  let positive = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += w[i] as number;
    if (y[i] === 1) positive += w[i] as number;
  }
  const p0 = Math.min(0.99, Math.max(0.01, positive / Math.max(1e-12, total)));
  const bias = Math.log(p0 / (1 - p0));
  const inner = 2 ** options.depth - 1;
  const leafCount = inner + 1;
  const features = new Int16Array(options.trees * inner).fill(-1);
  const thresholds = new Float32Array(options.trees * inner);
  const leaves = new Float32Array(options.trees * leafCount);
  const margin = new Float64Array(n).fill(bias);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const node = new Int32Array(n);
  const B = options.bins + 1;
  for (let t = 0; t < options.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(margin[i] as number)));
      const wi = w[i] as number;
      g[i] = wi * (p - (y[i] as number));
      h[i] = Math.max(1e-6, wi * p * (1 - p));
    }
    node.fill(0);
    for (let level = 0; level < options.depth; level++) {
      const first = 2 ** level - 1;
      const width = 2 ** level;
      const hist = new Float64Array(width * f * B * 2);
      for (let i = 0; i < n; i++) {
        const k = (node[i] as number) - first;
        const base = k * f * B * 2;
        const gi = g[i] as number;
        const hi = h[i] as number;
        for (let j = 0; j < f; j++) {
          const at = base + (j * B + (binned[i * f + j] as number)) * 2;
          hist[at] = (hist[at] as number) + gi;
          hist[at + 1] = (hist[at + 1] as number) + hi;
        }
      }
      for (let k = 0; k < width; k++) {
        let best = 0;
        let bestFeature = -1;
        let bestBin = 0;
        for (let j = 0; j < f; j++) {
          const base = (k * f + j) * B * 2;
          let G = 0;
          let H = 0;
          for (let b = 0; b < B; b++) {
            G += hist[base + b * 2] as number;
            H += hist[base + b * 2 + 1] as number;
          }
          let GL = 0;
          let HL = 0;
          for (let b = 0; b < B - 1; b++) {
            GL += hist[base + b * 2] as number;
            HL += hist[base + b * 2 + 1] as number;
            const HR = H - HL;
            if (HL < options.minLeaf || HR < options.minLeaf) continue;
            const GR = G - GL;
            const gain =
              (GL * GL) / (HL + options.lambda) +
              (GR * GR) / (HR + options.lambda) -
              (G * G) / (H + options.lambda);
            if (gain > best) {
              best = gain;
              bestFeature = j;
              bestBin = b;
            }
          }
        }
        const at = t * inner + first + k;
        features[at] = bestFeature;
        thresholds[at] = bestFeature < 0 ? 0 : ((edges[bestFeature] as Float32Array)[bestBin] as number);
      }
      for (let i = 0; i < n; i++) {
        const k = node[i] as number;
        const feature = features[t * inner + k] as number;
        const left = feature < 0 || (binned[i * f + feature] as number) <= findBin(t * inner + k, feature);
        node[i] = 2 * k + (left ? 1 : 2);
      }
    }
    const G = new Float64Array(leafCount);
    const H = new Float64Array(leafCount);
    for (let i = 0; i < n; i++) {
      const leaf = (node[i] as number) - inner;
      G[leaf] = (G[leaf] as number) + (g[i] as number);
      H[leaf] = (H[leaf] as number) + (h[i] as number);
    }
    for (let leaf = 0; leaf < leafCount; leaf++)
      leaves[t * leafCount + leaf] =
        (-options.learningRate * (G[leaf] as number)) / ((H[leaf] as number) + options.lambda);
    for (let i = 0; i < n; i++)
      margin[i] = (margin[i] as number) + (leaves[t * leafCount + (node[i] as number) - inner] as number);
  }
  return { depth: options.depth, features, thresholds, leaves, bias };

  /** The bin index whose upper edge is the node's threshold. */
  function findBin(at: number, feature: number): number {
    return binOf(edges[feature] as Float32Array, thresholds[at] as number);
  }
}

/** Up to `bins` upper edges per feature: distinct quantiles of the training values. */
function binEdges(x: readonly Float32Array[], f: number, bins: number): Float32Array[] {
  const edges: Float32Array[] = [];
  const column = new Float32Array(x.length);
  for (let j = 0; j < f; j++) {
    for (let i = 0; i < x.length; i++) column[i] = (x[i] as Float32Array)[j] as number;
    const sorted = Float32Array.from(column).sort();
    const cut = new Set<number>();
    for (let b = 1; b <= bins; b++) {
      const v = sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / (bins + 1)))];
      if (v !== undefined) cut.add(v);
    }
    edges.push(Float32Array.from([...cut].sort((a, b) => a - b)));
  }
  return edges;
}

/** The first bin whose upper edge is at or above v (edges.length when above all). */
function binOf(edges: Float32Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((edges[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
