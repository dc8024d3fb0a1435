/**
 * The fast engine: each tree becomes a JavaScript function of nested `if`s with its thresholds, feature
 * offsets and leaf values as literals, which V8 compiles to straight-line machine code. Each node's rule is
 * the one in decision.ts, specialised at compile time on the node's missing type and default direction
 * (see `numericalCondition`). Linear trees and trees too deep to nest use the shared walk for their output.
 */
import {
  isCategorical,
  isDefaultLeft,
  missingType,
  MissingType,
  ZERO_THRESHOLD,
} from "../model/decision-type";
import type { Model, Tree } from "../model/types";
import { categoricalGoesLeft, findLeaf, leafOutput } from "./decision";
import type { Engine } from "./engine";
import { maxDepth } from "./tree-shap";

type TreeFunction = (x: Float64Array, offset: number) => number;

/** Deeper trees would nest too deeply for the JavaScript parser; they are walked instead. */
const MAX_COMPILED_DEPTH = 400;

export function createCompiledEngine(model: Model): Engine {
  const { trees } = model;
  const perIteration = model.header.numTreePerIteration;
  const depths = trees.map(maxDepth);
  const leafFunctions = trees.map((tree, t) =>
    depths[t] > MAX_COMPILED_DEPTH
      ? (x: Float64Array, o: number) => findLeaf(tree, x, o)
      : compileTree(tree, "leaf"),
  );
  const valueFunctions = trees.map((tree, t): TreeFunction => {
    if (tree.linear !== null) {
      const leafOf = leafFunctions[t];
      return (x, o) => leafOutput(tree, leafOf(x, o), x, o);
    }
    return depths[t] > MAX_COMPILED_DEPTH
      ? (x, o) => tree.leafValue[findLeaf(tree, x, o)]
      : compileTree(tree, "value");
  });

  return {
    name: "compiled",
    addRawScores(x, offset, fromIteration, toIteration, scores, scoreOffset) {
      if (perIteration === 1) {
        let sum = scores[scoreOffset];
        for (let t = fromIteration; t < toIteration; t++) sum += valueFunctions[t](x, offset);
        scores[scoreOffset] = sum;
        return;
      }
      for (let i = fromIteration; i < toIteration; i++) {
        const base = i * perIteration;
        for (let k = 0; k < perIteration; k++) scores[scoreOffset + k] += valueFunctions[base + k](x, offset);
      }
    },
    leafIndices(x, offset, fromTree, toTree, out, outOffset) {
      for (let t = fromTree; t < toTree; t++) out[outOffset + t - fromTree] = leafFunctions[t](x, offset);
    },
  };
}

/** Source of one tree as `function (x, o)` returning its leaf value or its leaf index. */
function compileTree(tree: Tree, returns: "value" | "leaf"): TreeFunction {
  if (tree.numLeaves === 1) {
    const result = returns === "leaf" ? 0 : tree.leafValue[0];
    return () => result;
  }
  const emit = (node: number): string => {
    if (node < 0) return `return ${literal(returns === "leaf" ? ~node : tree.leafValue[~node])};`;
    const condition = isCategorical(tree.decisionType[node])
      ? categoricalCondition(tree, node)
      : numericalCondition(tree.threshold[node], tree.decisionType[node]);
    return `v = x[o + ${tree.splitFeature[node]}]; if (${condition}) { ${emit(tree.leftChild[node])} } else { ${emit(tree.rightChild[node])} }`;
  };
  const body = `"use strict"; return function tree${tree.index}(x, o) { let v; ${emit(0)} };`;
  const factory = new Function("categoricalGoesLeft", "words", body) as (
    goesLeft: typeof categoricalGoesLeft,
    words: Uint32Array,
  ) => TreeFunction;
  return factory(categoricalGoesLeft, tree.catThreshold);
}

/**
 * `numericalGoesLeft` for a known threshold and decision type, as a JavaScript condition on `v`:
 * - missing None: NaN is compared as 0, so it goes left iff 0 <= threshold: `!(v > t)` sends NaN left,
 *   `v <= t` sends it right (a NaN threshold sends everything right, as `v <= NaN` does in C++);
 * - missing Zero: NaN and |v| <= 1e-35f take the default direction, other values compare;
 * - missing NaN: NaN takes the default direction, other values compare (NaN <= t is false: right).
 */
function numericalCondition(threshold: number, decisionType: number): string {
  const t = literal(threshold);
  const defaultLeft = isDefaultLeft(decisionType);
  switch (missingType(decisionType)) {
    case MissingType.None:
      return threshold >= 0 ? `!(v > ${t})` : `v <= ${t}`;
    case MissingType.Zero: {
      const zero = `(v !== v || (v >= ${literal(-ZERO_THRESHOLD)} && v <= ${literal(ZERO_THRESHOLD)}))`;
      return defaultLeft ? `(${zero} || v <= ${t})` : `(!${zero} && v <= ${t})`;
    }
    default:
      return defaultLeft ? `(v !== v || v <= ${t})` : `v <= ${t}`;
  }
}

function categoricalCondition(tree: Tree, node: number): string {
  const cat = tree.threshold[node];
  return `categoricalGoesLeft(v, words, ${tree.catBoundaries[cat]}, ${tree.catBoundaries[cat + 1]})`;
}

/** A number as JavaScript source that evaluates to exactly the same double (including -0). */
function literal(x: number): string {
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${String(x)})` : String(x);
}
