/**
 * The evaluator's entry points: text → model → predictor with the chosen engine.
 */
import type { Model } from "../model/types";
import { parseModel } from "../parser/parse-model";
import { createCompiledEngine } from "./compiled-engine";
import type { Engine } from "./engine";
import { Predictor } from "./predictor";
import { createReferenceEngine } from "./reference-engine";

/**
 * compiled: chunks of trees as WebAssembly (the default: fast from the first call); compiled-js: the same chunks
 * as JavaScript (V8 must run them a while before it optimises them); reference: the plain walk.
 */
export type EngineName = "compiled" | "compiled-js" | "reference";

const ENGINES: Record<EngineName, (model: Model) => Engine> = {
  compiled: (model) => createCompiledEngine(model, "wasm"),
  "compiled-js": (model) => createCompiledEngine(model, "js"),
  reference: createReferenceEngine,
};

export function createPredictor(model: Model, engine: EngineName = "compiled"): Predictor {
  return new Predictor(model, ENGINES[engine](model));
}

/** Parses a model.txt and builds its predictor; throws ModelFormatError for a malformed or unsupported file. */
export function loadPredictor(text: string, engine: EngineName = "compiled"): Predictor {
  return createPredictor(parseModel(text), engine);
}
