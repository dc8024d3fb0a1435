/**
 * SHAP feature contributions for one tree (LightGBM `Tree::TreeSHAP`, `ExtendPath`, `UnwindPath`,
 * `UnwoundPathSum`, `ExpectedValue` in `src/io/tree.cpp`): Lundberg's path algorithm with node "cover" taken
 * from the sample counts in the file. The arithmetic is written in LightGBM's order so results agree to the
 * last bits. The path is kept as four parallel arrays; LightGBM's pointer `parent + depth` is an offset here.
 * Unlike LightGBM's recursion, the walk has no depth limit, and its memory is shared by all trees.
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

/**
 * Working memory for TreeSHAP, shared by all the trees of a model and sized for the most demanding one: the
 * path segments of the nodes on the current root-to-node walk, and the walk's stack of pending nodes.
 */
export class ShapScratch {
  path: Path = {
    feature: new Int32Array(0),
    zero: new Float64Array(0),
    one: new Float64Array(0),
    weight: new Float64Array(0),
  };
  /** Pending nodes: node, path depth, parent's segment start and parent's feature; then zero and one fractions. */
  frames = new Int32Array(0);
  fractions = new Float64Array(0);

  ensure(pathSize: number, depth: number): void {
    if (pathSize > this.path.weight.length) {
      this.path = {
        feature: new Int32Array(pathSize),
        zero: new Float64Array(pathSize),
        one: new Float64Array(pathSize),
        weight: new Float64Array(pathSize),
      };
    }
    // The walk pushes both children of a node and pops one: at most one pending node per level, plus one.
    const frames = depth + 2;
    if (frames * 4 > this.frames.length) {
      this.frames = new Int32Array(frames * 4);
      this.fractions = new Float64Array(frames * 2);
    }
  }
}

/**
 * Path memory one tree needs: a node at depth j keeps a segment of (its path's length + 1) entries while its
 * subtree is walked, and a path holds each feature at most once. So Σ over j = 0..depth of min(j, features) + 1:
 * LightGBM's (depth + 1)(depth + 2) / 2 for shallow trees, linear in depth for deep ones.
 */
export function pathSize(depth: number, numFeatures: number): number {
  let size = 0;
  for (let j = 0; j <= depth; j++) size += Math.min(j, numFeatures) + 1;
  return size;
}

/**
 * Per-tree contribution computer. The walk is iterative (an explicit stack, no recursion limit) and visits
 * nodes in LightGBM's order (the hot child's subtree, then the cold one's), so sums agree to the last bit.
 */
export class TreeShap {
  private readonly expected: number;
  private readonly depth: number;

  private constructor(
    private readonly tree: Tree,
    private readonly scratch: ShapScratch,
    numFeatures: number,
  ) {
    this.depth = maxDepth(tree);
    scratch.ensure(pathSize(this.depth, numFeatures), this.depth);
    this.expected = expectedValue(tree);
  }

  /** One computer per tree, all sharing one scratch memory sized for the most demanding tree. */
  static forTrees(trees: readonly Tree[], numFeatures: number): TreeShap[] {
    const scratch = new ShapScratch();
    return trees.map((t) => new TreeShap(t, scratch, numFeatures));
  }

  /** `Tree::PredictContrib`: adds φ into phi[po + f] and the expected value into phi[po + numFeatures]. */
  addContributions(x: Float64Array, xo: number, phi: Float64Array, po: number, numFeatures: number): void {
    phi[po + numFeatures] += this.expected;
    if (this.tree.numLeaves > 1) this.walk(x, xo, phi, po);
  }

  private cover(node: number): number {
    return node >= 0 ? this.tree.internalCount[node] : this.tree.leafCount[~node];
  }

  /** `Tree::TreeSHAP`, with the recursion's arguments kept in `frames` / `fractions`. */
  private walk(x: Float64Array, xo: number, phi: Float64Array, po: number): void {
    const p = this.scratch.path;
    const { frames, fractions } = this.scratch;
    const tree = this.tree;
    let top = 0;
    const push = (
      node: number,
      depth: number,
      parentBase: number,
      zero: number,
      one: number,
      feature: number,
    ) => {
      frames[top * 4] = node;
      frames[top * 4 + 1] = depth;
      frames[top * 4 + 2] = parentBase;
      frames[top * 4 + 3] = feature;
      fractions[top * 2] = zero;
      fractions[top * 2 + 1] = one;
      top++;
    };
    push(0, 0, 0, 1, 1, -1);
    while (top > 0) {
      top--;
      const node = frames[top * 4];
      let depth = frames[top * 4 + 1];
      const parentBase = frames[top * 4 + 2];
      const base = parentBase + depth;
      if (depth > 0) {
        p.feature.copyWithin(base, parentBase, parentBase + depth);
        p.zero.copyWithin(base, parentBase, parentBase + depth);
        p.one.copyWithin(base, parentBase, parentBase + depth);
        p.weight.copyWithin(base, parentBase, parentBase + depth);
      }
      extendPath(p, base, depth, fractions[top * 2], fractions[top * 2 + 1], frames[top * 4 + 3]);

      if (node < 0) {
        const value = tree.leafValue[~node];
        for (let i = 1; i <= depth; i++) {
          const w = unwoundPathSum(p, base, depth, i);
          phi[po + p.feature[base + i]] += w * (p.one[base + i] - p.zero[base + i]) * value;
        }
        continue;
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
      // The cold child waits below the hot one, whose whole subtree is walked first, as in the recursion.
      push(cold, depth + 1, base, coldZero * incomingZero, 0, feature);
      push(hot, depth + 1, base, hotZero * incomingZero, incomingOne, feature);
    }
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
