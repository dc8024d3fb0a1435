/**
 * The same model through the Open Inference Protocol v2 (KServe / MLServer / Triton REST):
 *   GET  /v2                                  server metadata
 *   GET  /v2/health/live, /v2/health/ready    liveness, readiness
 *   GET  /v2/models/{name}[/versions/{v}]     model metadata;  .../ready  model readiness
 *   POST /v2/models/{name}[/versions/{v}]/infer
 * One input tensor of shape [rows, features] (or [features]) with numeric datatype; nulls are missing values.
 * The output tensor is `predict` (FP64, [rows] or [rows, width]). Request `parameters` may carry `output`,
 * `start_iteration` and `num_iteration` as in POST /inference. Errors use the protocol's `{"error": "..."}`.
 */
import { Router, type Request } from "express";
import type { OutputKind } from "../evaluator/predictor";
import { isMultiValue } from "../evaluator/rows-out";
import { ApiError, invalid } from "./api-error";
import { describe, parsePredictOptions } from "./inference-request";
import { readJsonBody } from "./json-body";
import { guardSlowReader } from "./write-timeout";
import { checkRowCount, DEFAULT_LIMITS, predictWithinLimits, type RequestLimits } from "./request-limits";
import type { ModelSlot } from "./model-slot";
import type { ServedModel } from "./served-model";

/** The datatypes a tensor may have, with the range of values each admits (a Map: own keys only). */
interface Datatype {
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}
const float: Datatype = { integer: false, min: -Infinity, max: Infinity };
const int = (bits: number): Datatype => ({
  integer: true,
  min: -(2 ** (bits - 1)),
  max: 2 ** (bits - 1) - 1,
});
const uint = (bits: number): Datatype => ({ integer: true, min: 0, max: 2 ** bits - 1 });
const DATATYPES: ReadonlyMap<string, Datatype> = new Map([
  ["FP64", float],
  ["FP32", float],
  ["FP16", float],
  ["INT8", int(8)],
  ["INT16", int(16)],
  ["INT32", int(32)],
  ["INT64", int(64)],
  ["UINT8", uint(8)],
  ["UINT16", uint(16)],
  ["UINT32", uint(32)],
  ["UINT64", uint(64)],
]);
const REFUSED = new Set(["BOOL", "BYTES"]);
export const OUTPUT_TENSOR = "predict";

export function openInferenceRoutes(
  slot: ModelSlot,
  maxBodyBytes: number,
  serverVersion: string,
  limits: RequestLimits = DEFAULT_LIMITS,
): Router {
  const router = Router();
  /** The model named in the path, or 404 (its version too, when the path gives one). */
  const named = (req: Request): ServedModel => {
    const model = slot.get();
    const { name, version } = req.params as { name: string; version?: string };
    if (name !== model.name)
      throw new ApiError(
        "not_found",
        `model "${name}" is not served here; this server serves "${model.name}"`,
      );
    if (version !== undefined && version !== model.version) {
      throw new ApiError(
        "not_found",
        `model "${name}" has no version "${version}"; it is at "${model.version}"`,
      );
    }
    return model;
  };

  router.get("/v2", (_req, res) => {
    res.json({ name: "lightgbm-ts-serving", version: serverVersion, extensions: [] });
  });
  router.get("/v2/health/live", (_req, res) => {
    res.json({ live: true });
  });
  router.get("/v2/health/ready", (_req, res) => {
    res.status(slot.ready ? 200 : 503).json({ ready: slot.ready });
  });
  for (const base of ["/v2/models/:name", "/v2/models/:name/versions/:version"]) {
    router.get(base, (req, res) => {
      const model = named(req);
      res.json({
        name: model.name,
        versions: [model.version],
        platform: "lightgbm",
        inputs: [{ name: "input-0", datatype: "FP64", shape: [-1, model.info.num_features] }],
        outputs: [
          {
            name: OUTPUT_TENSOR,
            datatype: "FP64",
            shape: outputShape(-1, model.info.outputs.value.width ?? 1, "value"),
          },
        ],
        parameters: { feature_names: model.info.feature_names, objective: model.info.objective },
      });
    });
    router.get(`${base}/ready`, (req, res) => {
      const model = named(req);
      res.json({ name: model.name, ready: true });
    });
    router.post(`${base}/infer`, async (req, res) => {
      const model = named(req);
      const body = await readJsonBody(req, maxBodyBytes);
      const { rows, count, id, options } = parseInferRequest(body, model.info.num_features, limits);
      const { values, width } = await predictWithinLimits(model, rows, count, options, limits);
      const data = Array.from(values, (v) => (Number.isFinite(v) ? v : null));
      res.json({
        model_name: model.name,
        model_version: model.version,
        ...(id === undefined ? {} : { id }),
        outputs: [
          { name: OUTPUT_TENSOR, datatype: "FP64", shape: outputShape(count, width, options.output), data },
        ],
      });
      guardSlowReader(res, limits.writeTimeoutMs);
    });
  }
  return router;
}

function outputShape(rows: number, width: number, output: OutputKind): number[] {
  return isMultiValue(output, width) ? [rows, width] : [rows];
}

interface InferRequest {
  rows: Float64Array;
  count: number;
  id: string | undefined;
  options: ReturnType<typeof parsePredictOptions>;
}

function parseInferRequest(body: unknown, numFeatures: number, limits: RequestLimits): InferRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalid(`the body must be a JSON object, got ${describe(body)}`);
  const { id, inputs, outputs, parameters } = body as Record<string, unknown>;
  if (id !== undefined && typeof id !== "string") throw invalid("id must be a string");
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw invalid(`inputs must be a list of exactly one tensor of shape [rows, ${numFeatures}]`);
  }
  if (outputs !== undefined) {
    if (!Array.isArray(outputs)) throw invalid("outputs must be a list");
    outputs.forEach((o: unknown, i) => {
      if ((o as { name?: unknown } | null)?.name !== OUTPUT_TENSOR)
        throw invalid(`outputs[${i}] must name the "${OUTPUT_TENSOR}" tensor`);
    });
  }
  const tensor = inputs[0] as Record<string, unknown> | null;
  if (typeof tensor !== "object" || tensor === null) throw invalid("inputs[0] must be a tensor object");
  const { shape, datatype, data } = tensor;
  const type = typeof datatype === "string" ? DATATYPES.get(datatype) : undefined;
  if (type === undefined) {
    throw invalid(
      typeof datatype === "string" && REFUSED.has(datatype)
        ? `inputs[0].datatype ${datatype} is not supported: the model reads numbers; send FP64, FP32, FP16, INT* or UINT*`
        : `inputs[0].datatype must be a numeric type such as FP64, got ${JSON.stringify(datatype)}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw invalid("inputs[0].shape must be a list of non-negative integers");
  }
  let count: number;
  if (shape.length === 2 && shape[1] === numFeatures) count = shape[0];
  else if (shape.length === 1 && shape[0] === numFeatures) count = 1;
  else throw invalid(`inputs[0].shape is [${shape.join(", ")}]; the model expects [rows, ${numFeatures}]`);
  checkRowCount(count, limits);
  if (!Array.isArray(data)) throw invalid("inputs[0].data must be a list of numbers");
  const flat = data.flat(2) as unknown[];
  if (flat.length !== count * numFeatures) {
    throw invalid(
      `inputs[0].data has ${flat.length} values; shape [${shape.join(", ")}] needs ${count * numFeatures}`,
    );
  }
  const rows = new Float64Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === "number") {
      if (type.integer && !(Number.isInteger(v) && v >= type.min && v <= type.max))
        throw invalid(`inputs[0].data[${i}] is ${v}, which is not a ${datatype as string} value`);
      rows[i] = v;
    } else if (v === null) rows[i] = NaN;
    else throw invalid(`inputs[0].data[${i}] is ${describe(v)}; expected a number or null`);
  }
  return { rows, count, id, options: parseParameters(parameters) };
}

function parseParameters(parameters: unknown): InferRequest["options"] {
  const p = parameters ?? {};
  if (typeof p !== "object" || Array.isArray(p)) throw invalid("parameters must be an object");
  return parsePredictOptions(p as Record<string, unknown>, "parameters.");
}
