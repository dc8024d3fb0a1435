/**
 * SHAP feature contributions for one tree (LightGBM `Tree::TreeSHAP`, `ExtendPath`, `UnwindPath`,
 * `UnwoundPathSum`, `ExpectedValue` in `src/io/tree.cpp`): Lundberg's path algorithm with node "cover" taken
 * from the sample counts in the file. The arithmetic is written in LightGBM's order so results agree to the
 * last bits. The path is kept as four parallel arrays; LightGBM's pointer `parent + depth` is an offset here.
 */
import type { Tree } from "../model/types";
import { nextNode } from "./decision";

interface Path {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
}

export function maxDepth(tree: Tree): number {
  if (tree.numLeaves === 1) return 0;
  let deepest = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [number, number];
    for (const child of [tree.leftChild[node], tree.rightChild[node]]) {
      if (child < 0) deepest = Math.max(deepest, depth + 1);
      else stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** `Tree::ExpectedValue`: the leaves' values weighted by their share of the root's samples. */
export function expectedValue(tree: Tree): number {
  if (tree.numLeaves === 1) return tree.leafValue[0];
  const total = tree.internalCount[0];
  let value = 0;
  for (let i = 0; i < tree.numLeaves; i++) value += (tree.leafCount[i] / total) * tree.leafValue[i];
  return value;
}

/** Per-tree contribution computer with its path buffers allocated once. */
export class TreeShap {
  private readonly path: Path;
  private readonly expected: number;

  constructor(private readonly tree: Tree) {
    const len = maxDepth(tree) + 1;
    const size = (len * (len + 1)) / 2;
    this.path = {
      feature: new Int32Array(size),
      zero: new Float64Array(size),
      one: new Float64Array(size),
      weight: new Float64Array(size),
    };
    this.expected = expectedValue(tree);
  }

  /** `Tree::PredictContrib`: adds φ into phi[po + f] and the expected value into phi[po + numFeatures]. */
  addContributions(x: Float64Array, xo: number, phi: Float64Array, po: number, numFeatures: number): void {
    phi[po + numFeatures] += this.expected;
    if (this.tree.numLeaves > 1) this.recurse(x, xo, phi, po, 0, 0, 0, 1, 1, -1);
  }

  private cover(node: number): number {
    return node >= 0 ? this.tree.internalCount[node] : this.tree.leafCount[~node];
  }

  private recurse(
    x: Float64Array,
    xo: number,
    phi: Float64Array,
    po: number,
    node: number,
    depth: number,
    parentBase: number,
    parentZero: number,
    parentOne: number,
    parentFeature: number,
  ): void {
    const p = this.path;
    const tree = this.tree;
    const base = parentBase + depth;
    if (depth > 0) {
      p.feature.copyWithin(base, parentBase, parentBase + depth);
      p.zero.copyWithin(base, parentBase, parentBase + depth);
      p.one.copyWithin(base, parentBase, parentBase + depth);
      p.weight.copyWithin(base, parentBase, parentBase + depth);
    }
    extendPath(p, base, depth, parentZero, parentOne, parentFeature);

    if (node < 0) {
      const value = tree.leafValue[~node];
      for (let i = 1; i <= depth; i++) {
        const w = unwoundPathSum(p, base, depth, i);
        phi[po + p.feature[base + i]] += w * (p.one[base + i] - p.zero[base + i]) * value;
      }
      return;
    }
    const feature = tree.splitFeature[node];
    const hot = nextNode(tree, node, x[xo + feature]);
    const cold = hot === tree.leftChild[node] ? tree.rightChild[node] : tree.leftChild[node];
    const w = this.cover(node);
    const hotZero = this.cover(hot) / w;
    const coldZero = this.cover(cold) / w;
    let incomingZero = 1;
    let incomingOne = 1;
    // If this feature was split on higher up, undo that split so it can be redone here.
    let pathIndex = 0;
    for (; pathIndex <= depth; pathIndex++) if (p.feature[base + pathIndex] === feature) break;
    if (pathIndex !== depth + 1) {
      incomingZero = p.zero[base + pathIndex];
      incomingOne = p.one[base + pathIndex];
      unwindPath(p, base, depth, pathIndex);
      depth -= 1;
    }
    this.recurse(x, xo, phi, po, hot, depth + 1, base, hotZero * incomingZero, incomingOne, feature);
    this.recurse(x, xo, phi, po, cold, depth + 1, base, coldZero * incomingZero, 0, feature);
  }
}

function extendPath(p: Path, base: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[base + depth] = feature;
  p.zero[base + depth] = zero;
  p.one[base + depth] = one;
  p.weight[base + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[base + i + 1] += (one * p.weight[base + i] * (i + 1)) / (depth + 1);
    p.weight[base + i] = (zero * p.weight[base + i] * (depth - i)) / (depth + 1);
  }
}

function unwindPath(p: Path, base: number, depth: number, pathIndex: number): void {
  const one = p.one[base + pathIndex];
  const zero = p.zero[base + pathIndex];
  let nextOnePortion = p.weight[base + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[base + i];
      p.weight[base + i] = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      nextOnePortion = tmp - (p.weight[base + i] * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[base + i] = (p.weight[base + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = pathIndex; i < depth; i++) {
    p.feature[base + i] = p.feature[base + i + 1];
    p.zero[base + i] = p.zero[base + i + 1];
    p.one[base + i] = p.one[base + i + 1];
  }
}

function unwoundPathSum(p: Path, base: number, depth: number, pathIndex: number): number {
  const one = p.one[base + pathIndex];
  const zero = p.zero[base + pathIndex];
  let nextOnePortion = p.weight[base + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (nextOnePortion * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      nextOnePortion = p.weight[base + i] - tmp * zero * ((depth - i) / (depth + 1));
    } else {
      total += p.weight[base + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}
