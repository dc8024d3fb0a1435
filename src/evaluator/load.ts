/**
 * The evaluator's entry points: text → model → predictor with the chosen engine.
 */
import type { Model } from "../model/types";
import { parseModel } from "../parser/parse-model";
import { createCompiledEngine } from "./compiled-engine";
import type { Engine } from "./engine";
import { Predictor } from "./predictor";
import { createReferenceEngine } from "./reference-engine";

export type EngineName = "compiled" | "reference";

const ENGINES: Record<EngineName, (model: Model) => Engine> = {
  compiled: createCompiledEngine,
  reference: createReferenceEngine,
};

export function createPredictor(model: Model, engine: EngineName = "compiled"): Predictor {
  return new Predictor(model, ENGINES[engine](model));
}

/** Parses a model.txt and builds its predictor; throws ModelFormatError for a malformed or unsupported file. */
export function loadPredictor(text: string, engine: EngineName = "compiled"): Predictor {
  return createPredictor(parseModel(text), engine);
}
