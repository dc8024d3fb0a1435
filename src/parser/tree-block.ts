/**
 * One `Tree=i` block → a `Tree`, driven by a declarative table of its keys (LightGBM `Tree::Tree(const char*)`
 * in `src/io/tree.cpp`). Optional keys take LightGBM's own defaults; a required key that is missing, a list of
 * the wrong length or a structure LightGBM would walk into undefined behaviour fails with the tree, key and line.
 */
import { isCategorical, isValidDecisionType } from "../model/decision-type";
import type { LinearLeaves, Tree } from "../model/types";
import { ModelFormatError } from "../model/model-format-error";
import { parseDouble, parseInteger, splitTokens } from "./values";

export interface KeyValueLine {
  readonly value: string;
  readonly line: number;
}

export interface TreeBlock {
  readonly index: number;
  /** Line of the `Tree=` header. */
  readonly line: number;
  readonly entries: ReadonlyMap<string, KeyValueLine>;
}

type Kind = "int" | "double";
/** How many values a list key holds, given the tree's `num_leaves` and `num_cat`. */
type Length = "internal" | "leaves" | "cat_boundaries";

interface ListKey {
  readonly kind: Kind;
  readonly length: Length;
  /** Absent key: fail (required) or LightGBM's default of zeros. */
  readonly required: boolean;
}

/** The list keys of a tree with splits. The leaf-only keys are read even for single-leaf trees. */
const LIST_KEYS = {
  split_feature: { kind: "int", length: "internal", required: true },
  threshold: { kind: "double", length: "internal", required: true },
  decision_type: { kind: "int", length: "internal", required: false },
  left_child: { kind: "int", length: "internal", required: true },
  right_child: { kind: "int", length: "internal", required: true },
  internal_count: { kind: "double", length: "internal", required: false },
  leaf_count: { kind: "double", length: "leaves", required: false },
} as const satisfies Record<string, ListKey>;

/** Reads one tree block's keys; every error names the tree, the key and the line. */
function blockReader(block: TreeBlock) {
  const tree = block.index;
  const entry = (key: string): KeyValueLine | undefined => block.entries.get(key);
  const require = (key: string, why = "the tree has no"): KeyValueLine => {
    const found = entry(key);
    if (found === undefined) {
      throw new ModelFormatError("missing_key", `${why} "${key}" line`, { tree, key, line: block.line });
    }
    return found;
  };
  const scalar = (key: string): number => {
    const { value, line } = require(key);
    return parseInteger(value.trim(), { tree, key, line });
  };
  const list = (key: string, kind: Kind, expected: number, why?: string): number[] => {
    const { value, line } = require(key, why);
    const tokens = splitTokens(value);
    if (tokens.length !== expected) {
      throw new ModelFormatError("array_length", `has ${tokens.length} values; expected ${expected}`, {
        tree,
        key,
        line,
      });
    }
    const parse = kind === "int" ? parseInteger : parseDouble;
    return tokens.map((token) => parse(token, { tree, key, line }));
  };
  return { tree, entry, require, scalar, list };
}

export function parseTreeBlock(block: TreeBlock, maxFeatureIdx: number): Tree {
  const { tree, entry, require, scalar, list } = blockReader(block);

  const numLeaves = scalar("num_leaves");
  if (numLeaves < 1) {
    throw new ModelFormatError("invalid_value", `num_leaves is ${numLeaves}; a tree has at least one leaf`, {
      tree,
      key: "num_leaves",
      line: require("num_leaves").line,
    });
  }
  const numCat = scalar("num_cat");
  const isLinear = entry("is_linear") === undefined ? false : scalar("is_linear") !== 0;
  const leafValue = Float64Array.from(list("leaf_value", "double", numLeaves));
  const shrinkageEntry = entry("shrinkage");
  const shrinkage =
    shrinkageEntry === undefined
      ? 1
      : parseDouble(shrinkageEntry.value.trim(), { tree, key: "shrinkage", line: shrinkageEntry.line });

  const lengths: Record<Length, number> = {
    internal: numLeaves - 1,
    leaves: numLeaves,
    cat_boundaries: numCat + 1,
  };
  const read = (key: keyof typeof LIST_KEYS): number[] => {
    const spec: ListKey = LIST_KEYS[key];
    const n = lengths[spec.length];
    if (entry(key) === undefined && !spec.required) return new Array<number>(n).fill(0);
    return list(key, spec.kind, n);
  };

  // LightGBM stops reading after leaf_value for a single-leaf tree that is not linear.
  const single = numLeaves === 1;
  const splitFeature = single ? [] : read("split_feature");
  const threshold = single ? [] : read("threshold");
  const decisionType = single ? [] : read("decision_type");
  const leftChild = single ? [] : read("left_child");
  const rightChild = single ? [] : read("right_child");
  const internalCount = single ? [] : read("internal_count");
  const leafCount = single ? [0] : read("leaf_count");

  let catBoundaries: number[] = [0];
  let catThreshold: number[] = [];
  if (numCat > 0) {
    catBoundaries = list("cat_boundaries", "int", numCat + 1);
    const last = catBoundaries[numCat];
    catThreshold = list("cat_threshold", "int", last);
  }

  const result: Tree = {
    index: tree,
    numLeaves,
    numCat,
    splitFeature: Int32Array.from(splitFeature),
    threshold: Float64Array.from(threshold),
    decisionType: Uint8Array.from(decisionType),
    leftChild: Int32Array.from(leftChild),
    rightChild: Int32Array.from(rightChild),
    internalCount: Float64Array.from(internalCount),
    leafValue,
    leafCount: Float64Array.from(leafCount),
    catBoundaries: Int32Array.from(catBoundaries),
    catThreshold: Uint32Array.from(catThreshold),
    linear: isLinear ? parseLinear(block, numLeaves, maxFeatureIdx) : null,
    shrinkage,
  };
  checkStructure(block, result, maxFeatureIdx, { decisionType, catBoundaries, catThreshold });
  return result;
}

/** Linear leaves: per-leaf lists concatenated with extra spaces, partitioned by `num_features`. */
function parseLinear(block: TreeBlock, numLeaves: number, maxFeatureIdx: number): LinearLeaves {
  const { tree, list } = blockReader(block);
  const needs = "a linear tree needs a";
  const values = (key: string, expected: number, kind: Kind): number[] => list(key, kind, expected, needs);
  const leafConst = Float64Array.from(values("leaf_const", numLeaves, "double"));
  const counts = values("num_features", numLeaves, "int");
  const total = counts.reduce((a, b) => a + b, 0);
  const features =
    total === 0 && block.entries.get("leaf_features") === undefined
      ? []
      : values("leaf_features", total, "int");
  const coeffs =
    total === 0 && block.entries.get("leaf_coeff") === undefined ? [] : values("leaf_coeff", total, "double");
  const featureLine = block.entries.get("leaf_features")?.line ?? block.line;
  for (const f of features) {
    if (f < 0 || f > maxFeatureIdx) {
      throw new ModelFormatError("invalid_structure", `feature ${f} is outside 0..${maxFeatureIdx}`, {
        tree,
        key: "leaf_features",
        line: featureLine,
      });
    }
  }
  const leafFeatures: Int32Array[] = [];
  const leafCoeff: Float64Array[] = [];
  let start = 0;
  for (const count of counts) {
    leafFeatures.push(Int32Array.from(features.slice(start, start + count)));
    leafCoeff.push(Float64Array.from(coeffs.slice(start, start + count)));
    start += count;
  }
  return { leafConst, leafFeatures, leafCoeff };
}

/**
 * Checks what LightGBM trusts blindly: feature and child indices in range, every node and leaf reached exactly
 * once from the root, valid decision types, categorical splits pointing at a bitset that exists.
 */
function checkStructure(
  block: TreeBlock,
  t: Tree,
  maxFeatureIdx: number,
  raw: { decisionType: number[]; catBoundaries: number[]; catThreshold: number[] },
): void {
  const tree = block.index;
  const lineOf = (key: string): number => block.entries.get(key)?.line ?? block.line;
  const fail = (code: "invalid_structure" | "unknown_decision_type", key: string, detail: string): never => {
    throw new ModelFormatError(code, detail, { tree, key, line: lineOf(key) });
  };
  const internal = t.numLeaves - 1;
  for (let node = 0; node < internal; node++) {
    const dt = raw.decisionType[node];
    if (!isValidDecisionType(dt)) {
      fail(
        "unknown_decision_type",
        "decision_type",
        `node ${node} has decision_type ${dt}, which LightGBM never writes`,
      );
    }
    const f = t.splitFeature[node];
    if (f < 0 || f > maxFeatureIdx) {
      fail(
        "invalid_structure",
        "split_feature",
        `node ${node} splits on feature ${f}, outside 0..${maxFeatureIdx}`,
      );
    }
    if (isCategorical(dt)) {
      const cat = t.threshold[node];
      if (!Number.isInteger(cat) || cat < 0 || cat >= t.numCat) {
        fail(
          "invalid_structure",
          "threshold",
          `categorical node ${node} names bitset ${cat}; the tree has ${t.numCat}`,
        );
      }
    }
  }
  for (let j = 0; j < t.numCat; j++) {
    const from = raw.catBoundaries[j];
    const to = raw.catBoundaries[j + 1];
    if (from < 0 || to < from)
      fail("invalid_structure", "cat_boundaries", `boundaries ${from}..${to} are not increasing`);
  }
  for (const word of raw.catThreshold) {
    if (word < 0 || word > 0xffffffff)
      fail("invalid_structure", "cat_threshold", `${word} is not a 32-bit word`);
  }
  if (internal === 0) return;
  const seenNode = new Uint8Array(internal);
  const seenLeaf = new Uint8Array(t.numLeaves);
  const stack = [0];
  seenNode[0] = 1;
  while (stack.length > 0) {
    const node = stack.pop() as number;
    for (const [key, child] of [
      ["left_child", t.leftChild[node]],
      ["right_child", t.rightChild[node]],
    ] as const) {
      if (child >= 0) {
        if (child >= internal || seenNode[child] === 1) {
          fail(
            "invalid_structure",
            key,
            `node ${node} points at node ${child}, which is out of range or reached twice`,
          );
        }
        seenNode[child] = 1;
        stack.push(child);
      } else {
        const leaf = ~child;
        if (leaf >= t.numLeaves || seenLeaf[leaf] === 1) {
          fail(
            "invalid_structure",
            key,
            `node ${node} points at leaf ${leaf}, which is out of range or reached twice`,
          );
        }
        seenLeaf[leaf] = 1;
      }
    }
  }
  if (seenLeaf.includes(0) || seenNode.includes(0)) {
    fail("invalid_structure", "left_child", "some nodes or leaves cannot be reached from the root");
  }
}
