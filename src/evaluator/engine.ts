/**
 * What an evaluation engine does: walk trees for rows. The predictor owns everything else (input
 * clean-up, iteration ranges, averaging, transforms, SHAP), so every engine shares one set of semantics.
 * Rows are read from `x` starting at `offset`, `numFeatures` values each.
 */
export interface Engine {
  readonly name: string;
  /**
   * True when `addRawScores` applies the input clean-up (clean-input.ts) itself, so it may be given the caller's
   * rows as they are.
   */
  readonly cleansInput: boolean;
  /**
   * For each of `rows` rows (back to back in `x` from offset 0, `stride` values each), adds the output of each
   * class's tree for iterations [fromIteration, toIteration) into `scores[r * width + k]` (k < trees per
   * iteration), each row's sum taking the trees in iteration order like LightGBM.
   */
  addRawScores(
    x: Float64Array,
    rows: number,
    stride: number,
    fromIteration: number,
    toIteration: number,
    scores: Float64Array,
    width: number,
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
