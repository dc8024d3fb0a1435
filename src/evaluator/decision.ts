/**
 * The decision at one node, exactly as LightGBM takes it (`Tree::NumericalDecision`,
 * `Tree::CategoricalDecision` in `include/LightGBM/tree.h`). Both evaluators and TreeSHAP go through the
 * rules written here; the compiled evaluator specialises the same rules per node (see compiled-engine.ts).
 */
import {
  isCategorical,
  isDefaultLeft,
  missingType,
  MissingType,
  ZERO_THRESHOLD,
} from "../model/decision-type";
import type { Tree } from "../model/types";

/** LightGBM's `IsZero`: within ±kZeroThreshold (1e-35f). */
export function isZero(x: number): boolean {
  return x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD;
}

export function numericalGoesLeft(fval: number, threshold: number, decisionType: number): boolean {
  const missing = missingType(decisionType);
  // NaN is only "missing" under missing type NaN; otherwise LightGBM reads it as 0.0 (so under missing type
  // None it is compared as 0 and ignores the default direction; under Zero it becomes a zero, i.e. missing).
  if (Number.isNaN(fval) && missing !== MissingType.NaN) fval = 0;
  if ((missing === MissingType.Zero && isZero(fval)) || (missing === MissingType.NaN && Number.isNaN(fval))) {
    return isDefaultLeft(decisionType);
  }
  return fval <= threshold;
}

/**
 * Left iff the category's bit is set in the node's bitset. NaN and negative categories go right (whatever the
 * missing type: LightGBM PR #4468); values are truncated toward zero like `static_cast<int>`, so -0.6 is
 * category 0; values >= 2^31 overflow the int in C++ (INT_MIN on x86), so they go right too; categories past
 * the end of the bitset go right.
 */
export function categoricalGoesLeft(fval: number, words: Uint32Array, from: number, to: number): boolean {
  if (Number.isNaN(fval)) return false;
  const category = Math.trunc(fval);
  if (category < 0 || category >= 2147483648) return false;
  const word = from + Math.floor(category / 32);
  if (word >= to) return false;
  return ((words[word] >>> (category % 32)) & 1) === 1;
}

/** The child (node index, or `~leaf`) that `fval` leads to from internal node `node`. */
export function nextNode(tree: Tree, node: number, fval: number): number {
  const dt = tree.decisionType[node];
  let left: boolean;
  if (isCategorical(dt)) {
    const cat = tree.threshold[node];
    left = categoricalGoesLeft(fval, tree.catThreshold, tree.catBoundaries[cat], tree.catBoundaries[cat + 1]);
  } else {
    left = numericalGoesLeft(fval, tree.threshold[node], dt);
  }
  return left ? tree.leftChild[node] : tree.rightChild[node];
}

/** The leaf `row` reaches (LightGBM's numbering; 0 for a single-leaf tree). */
export function findLeaf(tree: Tree, x: Float64Array, offset: number): number {
  if (tree.numLeaves === 1) return 0;
  let node = 0;
  while (node >= 0) node = nextNode(tree, node, x[offset + tree.splitFeature[node]]);
  return ~node;
}

/**
 * A tree's output at a leaf. Linear leaves add their terms in file order; if any of the leaf's features is
 * NaN, LightGBM falls back to the plain leaf value (`Tree::Predict`, linear branch).
 */
export function leafOutput(tree: Tree, leaf: number, x: Float64Array, offset: number): number {
  const linear = tree.linear;
  if (linear === null) return tree.leafValue[leaf];
  const features = linear.leafFeatures[leaf];
  const coeff = linear.leafCoeff[leaf];
  let output = linear.leafConst[leaf];
  for (let i = 0; i < features.length; i++) {
    const v = x[offset + features[i]];
    if (Number.isNaN(v)) return tree.leafValue[leaf];
    output += coeff[i] * v;
  }
  return output;
}
