/**
 * The in-memory form of a LightGBM model, in LightGBM's own layout (`include/LightGBM/tree.h`): each tree is a
 * set of parallel typed arrays over its internal nodes and its leaves; a child index `c >= 0` is an internal
 * node and `c < 0` is the leaf `~c`. Nothing here is derived or reordered: evaluators build their own
 * structures from it.
 */
import type { Objective } from "./objectives";

export interface LinearLeaves {
  /** Constant term of each leaf's linear model. */
  readonly leafConst: Float64Array;
  /** Per leaf, the raw feature indices of its linear terms. */
  readonly leafFeatures: readonly Int32Array[];
  /** Per leaf, the coefficients matching `leafFeatures`. */
  readonly leafCoeff: readonly Float64Array[];
}

export interface Tree {
  /** Position of the tree in the file (its `Tree=i` header may carry another number; this is the order). */
  readonly index: number;
  readonly numLeaves: number;
  readonly numCat: number;
  /** Internal nodes (length numLeaves - 1). */
  readonly splitFeature: Int32Array;
  readonly threshold: Float64Array;
  readonly decisionType: Uint8Array;
  readonly leftChild: Int32Array;
  readonly rightChild: Int32Array;
  /** Sample counts of internal nodes: the "cover" TreeSHAP uses. */
  readonly internalCount: Float64Array;
  /** Leaves (length numLeaves). Leaf values already include shrinkage and any boost-from-average bias. */
  readonly leafValue: Float64Array;
  readonly leafCount: Float64Array;
  /** Categorical bitsets: split `j` (threshold = j) owns words catThreshold[catBoundaries[j] .. catBoundaries[j+1]). */
  readonly catBoundaries: Int32Array;
  readonly catThreshold: Uint32Array;
  /** Present when the tree was trained with `linear_tree=true`. */
  readonly linear: LinearLeaves | null;
  readonly shrinkage: number;
}

export interface ModelHeader {
  /** `version=` line: "v2", "v3" or "v4"; null when the file has none (LightGBM itself checks no version). */
  readonly version: string | null;
  readonly numClass: number;
  /** Trees per boosting iteration: K for multiclass / multiclassova, else 1. */
  readonly numTreePerIteration: number;
  readonly labelIndex: number;
  readonly maxFeatureIdx: number;
  /** The objective line as written, e.g. "binary sigmoid:1"; null when the file has none (custom objective). */
  readonly objective: string | null;
  /** Random forest: predictions are averaged over the iterations used. */
  readonly averageOutput: boolean;
  readonly featureNames: readonly string[];
  readonly featureInfos: readonly string[];
}

export interface Model {
  readonly header: ModelHeader;
  /** The parsed `objective=` line: its output transform. */
  readonly objective: Objective;
  /** Trees in file order, which is iteration-major: tree `i*K + k` is iteration i, class k. */
  readonly trees: readonly Tree[];
  /** The JSON of the Python package's trailing `pandas_categorical:` line, or undefined when absent. */
  readonly pandasCategorical: unknown;
  /** The `parameters:` section, key to raw value, as metadata. */
  readonly parameters: ReadonlyMap<string, string>;
}

export function numFeatures(model: Model): number {
  return model.header.maxFeatureIdx + 1;
}

export function numIterations(model: Model): number {
  return Math.floor(model.trees.length / model.header.numTreePerIteration);
}
