/**
 * The evaluator as a library: `import { loadPredictor } from "lightgbm-ts-serving"`.
 *
 * Load a LightGBM model.txt (any format version LightGBM writes), then predict each output kind LightGBM has:
 * values, raw scores, leaf indices and SHAP contributions. Nothing here imports the HTTP server or telemetry.
 *
 *   const predictor = loadPredictor(fs.readFileSync("model.txt", "utf8")); // throws ModelFormatError
 *   const { values, width } = predictor.predict(rows, { output: "value" }); // rows: Float64Array, row-major
 */
export { createPredictor, loadPredictor, type EngineName } from "./evaluator/load";
export {
  OUTPUT_KINDS,
  Predictor,
  type IterationRange,
  type OutputKind,
  type PredictOptions,
  type Predictions,
} from "./evaluator/predictor";
export { toRows, type RowOutput } from "./evaluator/rows-out";
export { PredictionError, type PredictionErrorCode } from "./evaluator/prediction-error";
export { parseModel } from "./parser/parse-model";
export type { Model, ModelHeader, Tree } from "./model/types";
export { ModelFormatError, type ModelFormatErrorCode, type ModelLocation } from "./model/model-format-error";
