/**
 * The model as the server holds it: the predictor, what /model reports about it, and the `model-inference`
 * span around exactly the evaluator call. Built once at boot; a bad file throws ModelFormatError here.
 */
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import { SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { loadPredictor } from "../evaluator/load";
import type { OutputKind, PredictOptions, Predictions, Predictor } from "../evaluator/predictor";
import {
  ATTR_BATCH_ROWS,
  ATTR_MODEL_NAME,
  ATTR_MODEL_VERSION,
  ATTR_NUM_TREES,
  ATTR_OUTPUT,
  SPAN_MODEL_INFERENCE,
  TRACER_NAME,
} from "../telemetry/names";
import type { InferenceObserver } from "../telemetry/metrics";
import type { FeatureSchema } from "./inference-request";
import { costPerRowMs } from "./request-limits";

export interface ModelInfo {
  readonly name: string;
  readonly version: string;
  readonly objective: string | null;
  readonly num_features: number;
  readonly feature_names: readonly string[];
  readonly num_trees: number;
  readonly num_iterations: number;
  readonly num_classes: number;
  /** Values per row of each output kind with all iterations; null where the model cannot produce it. */
  readonly outputs: Readonly<Record<OutputKind, { readonly width: number | null; readonly returns: string }>>;
}

const tracer = trace.getTracer(TRACER_NAME);

export class ServedModel {
  readonly schema: FeatureSchema;
  readonly info: ModelInfo;
  private readonly baseAttributes: Attributes;
  /** Told the output kind, rows and seconds of each successful evaluator call (the metrics, when on). */
  observer: InferenceObserver | undefined;
  /** Estimated evaluation cost per row of each output kind, ms (request-limits.ts). */
  readonly costMs: Readonly<Record<OutputKind, number>>;

  constructor(
    readonly predictor: Predictor,
    readonly name: string,
    readonly version: string,
  ) {
    const { header, trees, objective } = predictor.model;
    this.schema = {
      numFeatures: predictor.numFeatures,
      columns: new Map(header.featureNames.map((n, i) => [n, i])),
    };
    const linear = trees.some((t) => t.linear !== null);
    this.costMs = costPerRowMs(predictor);
    this.info = Object.freeze({
      name,
      version,
      objective: header.objective,
      num_features: predictor.numFeatures,
      feature_names: header.featureNames,
      num_trees: trees.length,
      num_iterations: predictor.numIterations,
      num_classes: header.numClass,
      outputs: {
        value: {
          width: predictor.width("value"),
          returns: `${objective.transformName} of the raw score${header.averageOutput ? " averaged over iterations" : ""}`,
        },
        raw: { width: predictor.width("raw"), returns: "sum of the trees' outputs, no transform" },
        leaf: { width: predictor.width("leaf"), returns: "leaf index reached in each tree, in model order" },
        contrib: {
          width: linear ? null : predictor.width("contrib"),
          returns: linear
            ? "not available for linear trees"
            : "SHAP value per feature then the expected value, per class",
        },
      },
    });
    this.baseAttributes = {
      [ATTR_MODEL_NAME]: name,
      [ATTR_MODEL_VERSION]: version,
      [ATTR_NUM_TREES]: trees.length,
    };
  }

  static fromText(text: string, name: string): ServedModel {
    const version = `sha256:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
    return new ServedModel(loadPredictor(text), name, version);
  }

  /** Runs the evaluator inside the `model-inference` span (a child of the active server span). */
  predict(rows: Float64Array, count: number, options: PredictOptions & { output: OutputKind }): Predictions {
    const span = this.startSpan(count, options.output);
    const observer = this.observer;
    const started = observer === undefined ? 0 : performance.now();
    try {
      const predictions = this.predictor.predict(rows, options);
      observer?.(options.output, count, (performance.now() - started) / 1000);
      return predictions;
    } catch (error) {
      throw failed(span, error);
    } finally {
      span.end();
    }
  }

  /**
   * `predict` for a large request, in slices of rows with a turn of the event loop between them, inside one
   * `model-inference` span. `nextSlice(done)` gives the next slice's size, or throws to stop (time budget).
   */
  async predictInSlices(
    rows: Float64Array,
    count: number,
    options: PredictOptions & { output: OutputKind },
    nextSlice: (done: number) => number,
  ): Promise<Predictions> {
    const span = this.startSpan(count, options.output);
    const started = performance.now();
    try {
      const F = this.predictor.numFeatures;
      const width = this.predictor.width(options.output, this.predictor.range(options));
      const values = new Float64Array(count * width);
      for (let done = 0; done < count;) {
        if (done > 0) await new Promise((resolve) => setImmediate(resolve));
        const n = Math.min(nextSlice(done), count - done);
        const part = this.predictor.predict(rows.subarray(done * F, (done + n) * F), options);
        values.set(part.values, done * width);
        done += n;
      }
      this.observer?.(options.output, count, (performance.now() - started) / 1000);
      return { values, width };
    } catch (error) {
      throw failed(span, error);
    } finally {
      span.end();
    }
  }

  private startSpan(count: number, output: OutputKind): Span {
    return tracer.startSpan(SPAN_MODEL_INFERENCE, {
      attributes: { ...this.baseAttributes, [ATTR_BATCH_ROWS]: count, [ATTR_OUTPUT]: output },
    });
  }
}

/** Records the error on the span; returns it to be thrown. */
function failed(span: Span, error: unknown): unknown {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  return error;
}
