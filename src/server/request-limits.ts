/**
 * The work one request may ask for, and how a large one is evaluated without stalling other clients:
 * - rows per request (MAX_ROWS → 413 too_many_rows), checked before the rows are read;
 * - numbers in the answer, rows × values per row of the output kind (MAX_OUTPUT_VALUES → 413
 *   too_many_values), so `leaf` and `contrib` on big models stay bounded;
 * - evaluation time (MAX_INFERENCE_MS → 422 time_budget_exceeded): refused up front when the estimate (rows ×
 *   a per-kind cost from the model's shape) is over the budget, and stopped between slices once it is spent.
 * A request estimated above SLICE_MS is evaluated in slices of rows that yield to the event loop between them.
 */
import type { OutputKind, PredictOptions, Predictions, Predictor } from "../evaluator/predictor";
import { maxDepth } from "../evaluator/tree-shap";
import { ApiError } from "./api-error";

export interface RequestLimits {
  readonly maxRows: number;
  readonly maxOutputValues: number;
  readonly maxInferenceMs: number;
  /** A client that has not taken its whole answer within this is disconnected (write-timeout.ts). */
  readonly writeTimeoutMs: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxRows: 10_000,
  maxOutputValues: 250_000,
  maxInferenceMs: 5_000,
  writeTimeoutMs: 30_000,
};

/** Work per slice of a large request: other requests wait at most about this long. */
export const SLICE_MS = 10;

/**
 * Optimistic costs (ns), below what bench/limits.ts measures on the bundled model: a tree walk per tree and row
 * for value and raw, a leaf lookup per tree and row, and TreeSHAP per leaf × path length² per tree and row.
 * Optimistic, so that only requests clearly over the budget are refused before they start.
 */
const NS_PER_TREE = { value: 5, raw: 5, leaf: 20 } as const;
const NS_PER_SHAP_UNIT = 1.5;

export function checkRowCount(rows: number, limits: RequestLimits): void {
  if (rows > limits.maxRows) {
    throw new ApiError(
      "too_many_rows",
      `the request has ${rows} rows; the limit is ${limits.maxRows} (MAX_ROWS)`,
    );
  }
}

/** A model's cost per row of each output kind, in ms, from its shape. */
export function costPerRowMs(predictor: Predictor): Readonly<Record<OutputKind, number>> {
  const { trees } = predictor.model;
  let shap = 0;
  for (const t of trees) {
    const path = Math.min(maxDepth(t), predictor.numFeatures) + 1;
    shap += t.numLeaves * path * path;
  }
  return {
    value: (trees.length * NS_PER_TREE.value) / 1e6,
    raw: (trees.length * NS_PER_TREE.raw) / 1e6,
    leaf: (trees.length * NS_PER_TREE.leaf) / 1e6,
    contrib: (shap * NS_PER_SHAP_UNIT) / 1e6,
  };
}

/** Evaluates (rows, count) in one call or, past SLICE_MS, in slices: `evaluate` is called per slice. */
export interface SlicedEvaluation {
  readonly predictor: Predictor;
  readonly costMs: Readonly<Record<OutputKind, number>>;
  predict(rows: Float64Array, count: number, options: PredictOptions & { output: OutputKind }): Predictions;
  predictInSlices(
    rows: Float64Array,
    count: number,
    options: PredictOptions & { output: OutputKind },
    nextSlice: (done: number) => number,
  ): Promise<Predictions>;
}

/**
 * Checks a request against the limits, then evaluates it: synchronously when it is small (the common case
 * costs two comparisons), in slices when it is large.
 */
export function predictWithinLimits(
  model: SlicedEvaluation,
  rows: Float64Array,
  count: number,
  options: PredictOptions & { output: OutputKind },
  limits: RequestLimits,
): Predictions | Promise<Predictions> {
  const { output } = options;
  const width = model.predictor.width(output, model.predictor.range(options));
  if (count * width > limits.maxOutputValues) {
    throw new ApiError(
      "too_many_values",
      `${output} for ${count} rows is ${count * width} values; the limit is ${limits.maxOutputValues} (MAX_OUTPUT_VALUES)`,
    );
  }
  const perRow = model.costMs[output];
  const estimate = count * perRow;
  if (estimate <= SLICE_MS) return model.predict(rows, count, options);
  if (estimate > limits.maxInferenceMs) {
    throw overBudget(`${output} for ${count} rows would take about ${Math.round(estimate)} ms`, limits);
  }
  const started = performance.now();
  let rate = perRow;
  let lastDone = 0;
  let lastAt = started;
  return model.predictInSlices(rows, count, options, (done) => {
    const now = performance.now();
    if (now - started > limits.maxInferenceMs) {
      throw overBudget(`${output} for ${count} rows ran out of time after ${done} rows`, limits);
    }
    // The next slice's size from the last one's pace, so that each takes about SLICE_MS.
    if (done > lastDone) rate = (now - lastAt) / (done - lastDone);
    lastDone = done;
    lastAt = now;
    return Math.max(1, Math.floor(SLICE_MS / rate));
  });
}

function overBudget(what: string, limits: RequestLimits): ApiError {
  return new ApiError(
    "time_budget_exceeded",
    `${what}; the limit is ${limits.maxInferenceMs} ms (MAX_INFERENCE_MS); send fewer rows per request`,
  );
}
