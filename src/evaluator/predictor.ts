/**
 * Model + engine → predictions, with LightGBM's semantics around the tree walk (`GBDT::Predict`,
 * `PredictRaw`, `PredictLeafIndex`, `PredictContrib` in `src/boosting/gbdt_prediction.cpp`):
 * - input clean-up as LightGBM's dense C API does it: |x| <= 1e-35f (and -0) becomes 0, NaN stays NaN;
 * - the iteration range `InitPredict(start_iteration, num_iteration)`;
 * - value = raw, divided by the iterations used for random forests (`average_output`), then the objective's
 *   transform; raw = the plain sum (not averaged); leaf = leaf indices in tree order; contrib = TreeSHAP,
 *   K blocks of (features + 1) with the expected value last.
 */
import { numFeatures, numIterations, type Model } from "../model/types";
import { cleanInput } from "./clean-input";
import type { Engine } from "./engine";
import { PredictionError } from "./prediction-error";
import { TreeShap } from "./tree-shap";

export type OutputKind = "value" | "raw" | "leaf" | "contrib";
export const OUTPUT_KINDS: readonly OutputKind[] = ["value", "raw", "leaf", "contrib"];

export interface PredictOptions {
  readonly output?: OutputKind;
  /** First iteration to use (default 0). */
  readonly startIteration?: number;
  /** Number of iterations to use; absent, null or <= 0 means all from startIteration. */
  readonly numIteration?: number | null;
}

export interface IterationRange {
  readonly start: number;
  readonly count: number;
}

export interface Predictions {
  /** Row-major, `width` values per row. */
  readonly values: Float64Array;
  readonly width: number;
}

export class Predictor {
  readonly numFeatures: number;
  readonly numIterations: number;
  readonly perIteration: number;
  private shap: TreeShap[] | null = null;

  constructor(
    readonly model: Model,
    readonly engine: Engine,
  ) {
    this.numFeatures = numFeatures(model);
    this.numIterations = numIterations(model);
    this.perIteration = model.header.numTreePerIteration;
  }

  /** LightGBM's `InitPredict`: start clamped to the model; count = min(num, remaining), or all remaining. */
  range(options: PredictOptions = {}): IterationRange {
    const { startIteration = 0, numIteration = null } = options;
    if (!Number.isSafeInteger(startIteration) || startIteration < 0) {
      throw new PredictionError(
        "invalid_iteration_range",
        `start_iteration must be a non-negative integer, got ${startIteration}`,
      );
    }
    if (numIteration !== null && !Number.isSafeInteger(numIteration)) {
      throw new PredictionError(
        "invalid_iteration_range",
        `num_iteration must be an integer, got ${numIteration}`,
      );
    }
    const start = Math.min(startIteration, this.numIterations);
    const remaining = this.numIterations - start;
    const count = numIteration !== null && numIteration > 0 ? Math.min(numIteration, remaining) : remaining;
    return { start, count };
  }

  /** Values per row for an output kind (leaf depends on the iteration range). */
  width(output: OutputKind, range: IterationRange = this.range()): number {
    switch (output) {
      case "value":
      case "raw":
        return this.perIteration;
      case "leaf":
        return range.count * this.perIteration;
      case "contrib":
        return this.perIteration * (this.numFeatures + 1);
    }
  }

  /** Predicts `rows` (row-major, numFeatures values per row; not modified). */
  predict(rows: Float64Array, options: PredictOptions = {}): Predictions {
    const n = rows.length / this.numFeatures;
    if (!Number.isInteger(n)) {
      throw new PredictionError(
        "invalid_input",
        `${rows.length} values is not a whole number of rows of ${this.numFeatures}`,
      );
    }
    const output = options.output ?? "value";
    const range = this.range(options);
    const width = this.width(output, range);
    // An engine that cleans the rows while copying them into its own memory spares the predictor its copy.
    const x = (output === "raw" || output === "value") && this.engine.cleansInput ? rows : cleanInput(rows);
    const values = new Float64Array(n * width);
    const F = this.numFeatures;
    const from = range.start;
    const to = range.start + range.count;
    switch (output) {
      case "raw":
        this.engine.addRawScores(x, n, F, from, to, values, width);
        break;
      case "value": {
        this.engine.addRawScores(x, n, F, from, to, values, width);
        const transform = this.model.objective.transform;
        const average = this.model.header.averageOutput;
        for (let r = 0; r < n; r++) {
          const o = r * width;
          if (average) for (let k = 0; k < width; k++) values[o + k] /= range.count;
          transform(values, o);
        }
        break;
      }
      case "leaf":
        for (let r = 0; r < n; r++) {
          this.engine.leafIndices(
            x,
            r * F,
            from * this.perIteration,
            to * this.perIteration,
            values,
            r * width,
          );
        }
        break;
      case "contrib":
        this.contributions(x, n, from, to, values);
        break;
    }
    return { values, width };
  }

  private contributions(x: Float64Array, n: number, from: number, to: number, out: Float64Array): void {
    const { trees } = this.model;
    const linear = trees.findIndex((t) => t.linear !== null);
    if (linear >= 0) {
      throw new PredictionError(
        "unsupported_output",
        `contrib is not available for linear-tree models (tree ${linear} is linear); LightGBM refuses it too`,
      );
    }
    this.shap ??= TreeShap.forTrees(trees, this.numFeatures);
    const F = this.numFeatures;
    const block = F + 1;
    const width = this.perIteration * block;
    for (let r = 0; r < n; r++) {
      for (let i = from; i < to; i++) {
        for (let k = 0; k < this.perIteration; k++) {
          this.shap[i * this.perIteration + k].addContributions(x, r * F, out, r * width + k * block, F);
        }
      }
    }
  }
}
