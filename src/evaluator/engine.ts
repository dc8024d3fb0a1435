/**
 * What an evaluation engine does: walk trees for one row. The predictor owns everything else (input
 * clean-up, iteration ranges, averaging, transforms, SHAP), so every engine shares one set of semantics.
 * Rows are read from `x` starting at `offset`, `numFeatures` values each.
 */
export interface Engine {
  readonly name: string;
  /**
   * Adds, for iterations [fromIteration, toIteration), the output of each class's tree into
   * `scores[scoreOffset + k]` (k < trees per iteration), summing in iteration order like LightGBM.
   */
  addRawScores(
    x: Float64Array,
    offset: number,
    fromIteration: number,
    toIteration: number,
    scores: Float64Array,
    scoreOffset: number,
  ): void;
  /** Writes the leaf index reached in trees [fromTree, toTree) to `out[outOffset ...]`. */
  leafIndices(
    x: Float64Array,
    offset: number,
    fromTree: number,
    toTree: number,
    out: Float64Array,
    outOffset: number,
  ): void;
}
