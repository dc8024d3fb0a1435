/** Span and attribute names, defined once. The FastAPI control uses the same ones. */
export const TRACER_NAME = "lightgbm-ts-serving";
export const SPAN_MODEL_INFERENCE = "model-inference";

export const ATTR_MODEL_NAME = "model.name";
export const ATTR_MODEL_VERSION = "model.version";
export const ATTR_BATCH_ROWS = "model.batch_rows";
export const ATTR_NUM_TREES = "model.num_trees";
export const ATTR_OUTPUT = "model.output";

export const DEFAULT_SERVICE_NAME = "ts-endpoint";
