import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Tree } from "../model/types";
import { branchPlan } from "./branch-free";

/** A leaf with its training count, or an internal node [left, right]. */
type Shape = number | [Shape, Shape];

/** A numerical tree of that shape, internal nodes numbered in preorder, counts summed up from the leaves. */
function tree(shape: Shape): Tree {
  const left: number[] = [];
  const right: number[] = [];
  const internalCount: number[] = [];
  const leafCount: number[] = [];
  const build = (s: Shape): [node: number, count: number] => {
    if (typeof s === "number") return [~(leafCount.push(s) - 1), s];
    const node = left.push(0) - 1;
    right.push(0);
    internalCount.push(0);
    const [l, lc] = build(s[0]);
    const [r, rc] = build(s[1]);
    [left[node], right[node], internalCount[node]] = [l, r, lc + rc];
    return [node, lc + rc];
  };
  build(shape);
  const internal = left.length;
  return {
    index: 0,
    numLeaves: leafCount.length,
    numCat: 0,
    splitFeature: new Int32Array(internal),
    threshold: new Float64Array(internal),
    decisionType: new Uint8Array(internal),
    leftChild: Int32Array.from(left),
    rightChild: Int32Array.from(right),
    internalCount: Float64Array.from(internalCount),
    leafValue: new Float64Array(leafCount.length),
    leafCount: Float64Array.from(leafCount),
    catBoundaries: new Int32Array(1),
    catThreshold: new Uint32Array(0),
    linear: null,
    shrinkage: 1,
  };
}

/** A balanced subtree of 2^depth leaves, each with `count` samples. */
const balanced = (depth: number, count: number): Shape =>
  depth === 0 ? count : [balanced(depth - 1, count), balanced(depth - 1, count)];

describe("branchPlan", () => {
  it("evaluates a node whose children are both leaves without a branch, however uneven its split", () => {
    assert.deepEqual(branchPlan(tree([999, 1])).branchFree, [true]);
  });

  it("evaluates a subtree with evenly split nodes without branches", () => {
    const plan = branchPlan(tree(balanced(3, 10)));
    assert.ok(plan.branchFree.every((b) => b));
    assert.equal(plan.leaves[0], 8);
  });

  it("keeps the branch on a node that almost always goes to its leaf, past a subtree it rarely needs", () => {
    const plan = branchPlan(tree([990, balanced(3, 1)]));
    assert.equal(plan.branchFree[0], false);
    assert.equal(plan.branchFree[1], true);
  });

  it("makes no subtree of more than 24 leaves branch-free", () => {
    const plan = branchPlan(tree(balanced(5, 10)));
    assert.equal(plan.branchFree[0], false);
    assert.deepEqual([plan.branchFree[1], plan.leaves[1]], [true, 16]);
  });

  it("treats a node without training counts as evenly split", () => {
    assert.ok(branchPlan(tree(balanced(2, 0))).branchFree.every((b) => b));
  });

  it("plans nothing for a tree that is a single leaf", () => {
    assert.deepEqual(branchPlan(tree(5)).branchFree, []);
  });
});
