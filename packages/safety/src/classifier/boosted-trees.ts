/**
 * Gradient-boosted trees of a fixed depth over dense features: each tree is
 * a complete binary tree in arrays (node k's children are 2k+1 and 2k+2),
 * a node sends a value at or below its threshold left; feature -1 sends all
 * left. The margin is the sum of the leaves reached.
 */
export interface BoostedTrees {
  depth: number;
  /** Per tree, 2^depth - 1 node features and thresholds, then 2^depth leaf values. */
  features: Int16Array;
  thresholds: Float32Array;
  leaves: Float32Array;
  bias: number;
}

export function treeCount(model: BoostedTrees): number {
  return model.leaves.length / 2 ** model.depth;
}

export function boostedMargin(model: BoostedTrees, x: ArrayLike<number>): number {
  const inner = 2 ** model.depth - 1;
  const leafCount = inner + 1;
  const trees = treeCount(model);
  let margin = model.bias;
  for (let t = 0; t < trees; t++) {
    let node = 0;
    for (let level = 0; level < model.depth; level++) {
      const at = t * inner + node;
      const feature = model.features[at] as number;
      const left = feature < 0 || (x[feature] as number) <= (model.thresholds[at] as number);
      node = 2 * node + (left ? 1 : 2);
    }
    margin += model.leaves[t * leafCount + (node - inner)] as number;
  }
  return margin;
}
