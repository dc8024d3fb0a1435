/**
 * Which subtrees of a tree the WebAssembly chunks evaluate without branches (wasm-chunks.ts). A branch on a
 * node costs little when the branch predictor guesses it, and a pipeline flush when it does not; a branch-free
 * subtree costs every one of its conditions, whichever path the row takes. The training counts in model.txt
 * (`internal_count`, `leaf_count`) say how often each side is taken, so the cheaper choice is computed bottom up
 * for each node, counting a condition as one unit and a mispredicted branch as MISPREDICT units, the branch being
 * guessed wrong as often as its rarer side is taken.
 */
import { isCategorical } from "../model/decision-type";
import type { Tree } from "../model/types";

/**
 * Chosen by measurement (bench/evaluator/profile-engine.ts, batch rows/s against a plain "at most 16 leaves"):
 * seed model 6, 12, 20, 30, 50, 80 -> 0.80, 0.92, 1.02, 1.13, 1.13, 1.15x; binary 0.85, 0.91, 0.99, 1.07, 1.06,
 * 1.05x. Lower values keep branches that cost more than they save.
 */
const MISPREDICT = 50;
/**
 * No branch-free subtree has more leaves: 32 was faster on the seed model (1.20x against 1.13x for 24) but slower
 * on the binary one (0.99x against 1.06x); 16 gave up most of the gain (seed 1.02x).
 */
const MAX_LEAVES = 24;
/**
 * A categorical condition costs this many numerical ones (range checks, truncation, a shift; in `if` blocks):
 * multiclass categorical model, batch rows/s against "at most 16 leaves": 1 -> 0.95x, 3 -> 1.01x, 6 -> 1.02x.
 */
const CATEGORICAL = 3;

export interface BranchPlan {
  /** Leaves under each internal node. */
  readonly leaves: readonly number[];
  /** Whether the subtree under an internal node is evaluated without branches. */
  readonly branchFree: readonly boolean[];
}

export function branchPlan(tree: Tree): BranchPlan {
  const internal = Math.max(0, tree.numLeaves - 1);
  const leaves = new Array<number>(internal);
  const branchFree = new Array<boolean>(internal);
  /** Cost of evaluating every condition under an internal node. */
  const straight = new Array<number>(internal);
  const count = (node: number): number => (node < 0 ? tree.leafCount[~node] : tree.internalCount[node]);
  /** Expected cost of the subtree in units. */
  const cost = (node: number): number => {
    if (node < 0) return 0;
    const [left, right] = [tree.leftChild[node], tree.rightChild[node]];
    const condition = isCategorical(tree.decisionType[node]) ? CATEGORICAL : 1;
    const costLeft = cost(left);
    const costRight = cost(right);
    leaves[node] = (left < 0 ? 1 : leaves[left]) + (right < 0 ? 1 : leaves[right]);
    const all = count(node);
    const p = all > 0 ? count(left) / all : 0.5;
    straight[node] = condition + (left < 0 ? 0 : straight[left]) + (right < 0 ? 0 : straight[right]);
    const branching = condition + MISPREDICT * Math.min(p, 1 - p) + p * costLeft + (1 - p) * costRight;
    branchFree[node] = straight[node] <= branching && leaves[node] <= MAX_LEAVES;
    return branchFree[node] ? straight[node] : branching;
  };
  if (internal > 0) cost(0);
  return { leaves, branchFree };
}
