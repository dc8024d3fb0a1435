/**
 * The body of `POST /inference` → rows for the predictor, with a message naming the place of any mistake.
 *
 *   {"data": [f0, f1, ...]}            one row            → {"prediction": ...}
 *   {"data": [[...], [...]]}           a batch            → {"predictions": [...]}
 *   {"data": {"Column_0": 1.5, ...}}   one named row      (absent names and null are missing values)
 *   {"data": [{...}, {...}]}           a batch of named rows
 *   optional: "output": "value"|"raw"|"leaf"|"contrib", "start_iteration", "num_iteration"
 */
import { OUTPUT_KINDS, type OutputKind, type PredictOptions } from "../evaluator/predictor";
import { invalid } from "./api-error";
import { checkRowCount, DEFAULT_LIMITS, type RequestLimits } from "./request-limits";

export interface FeatureSchema {
  readonly numFeatures: number;
  /** Feature name → column. */
  readonly columns: ReadonlyMap<string, number>;
}

export interface InferenceRequest {
  /** Row-major, numFeatures values per row; missing values are NaN. */
  readonly rows: Float64Array;
  readonly count: number;
  /** True for a single row (answered as `prediction`), false for a batch (`predictions`). */
  readonly single: boolean;
  readonly options: PredictOptions & { readonly output: OutputKind };
}

const FIELDS = new Set(["data", "output", "start_iteration", "num_iteration"]);

export function parseInferenceRequest(
  body: unknown,
  schema: FeatureSchema,
  limits: RequestLimits = DEFAULT_LIMITS,
): InferenceRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid(`the body must be a JSON object with a "data" field, got ${describe(body)}`);
  }
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!FIELDS.has(key))
      throw invalid(`unknown field "${key}"; expected data, output, start_iteration, num_iteration`);
  }
  const options = parsePredictOptions(fields);
  const data = fields.data;
  if (data === undefined) throw invalid("data is missing");
  const F = schema.numFeatures;

  if (Array.isArray(data) && data.length > 0 && isRow(data[0])) {
    checkRowCount(data.length, limits);
    const rows = new Float64Array(data.length * F);
    data.forEach((row: unknown, r) => {
      if (!isRow(row))
        throw invalid(`data[${r}] is ${describe(row)}; every row of a batch must be an array or an object`);
      writeRow(row, `data[${r}]`, rows, r * F, schema);
    });
    return { rows, count: data.length, single: false, options };
  }
  if (Array.isArray(data) || isNamedRow(data)) {
    const rows = new Float64Array(F);
    writeRow(data, "data", rows, 0, schema);
    return { rows, count: 1, single: true, options };
  }
  throw invalid(
    `data is ${describe(data)}; expected a row (an array of numbers or an object of named values) or a list of rows`,
  );
}

/** `output`, `start_iteration`, `num_iteration` of a request (`prefix` names where they sit, for messages). */
export function parsePredictOptions(
  fields: Record<string, unknown>,
  prefix = "",
): InferenceRequest["options"] {
  const output = fields.output ?? "value";
  if (typeof output !== "string" || !(OUTPUT_KINDS as readonly string[]).includes(output)) {
    throw invalid(`${prefix}output must be one of ${OUTPUT_KINDS.join(", ")}, got ${JSON.stringify(output)}`);
  }
  const start = fields.start_iteration ?? 0;
  if (typeof start !== "number" || !Number.isSafeInteger(start) || start < 0) {
    throw invalid(`${prefix}start_iteration must be a non-negative integer, got ${JSON.stringify(start)}`);
  }
  const num = fields.num_iteration ?? null;
  if (num !== null && (typeof num !== "number" || !Number.isSafeInteger(num))) {
    throw invalid(`${prefix}num_iteration must be an integer or null, got ${JSON.stringify(num)}`);
  }
  return { output: output as OutputKind, startIteration: start, numIteration: num };
}

function isNamedRow(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isRow(value: unknown): value is unknown[] | Record<string, unknown> {
  return Array.isArray(value) || isNamedRow(value);
}

function writeRow(
  row: unknown[] | Record<string, unknown>,
  where: string,
  out: Float64Array,
  offset: number,
  schema: FeatureSchema,
): void {
  const F = schema.numFeatures;
  if (Array.isArray(row)) {
    if (row.length !== F) throw invalid(`${where} has ${row.length} values; the model expects ${F}`);
    for (let c = 0; c < F; c++) {
      const v = row[c];
      if (typeof v === "number") out[offset + c] = v;
      else if (v === null) out[offset + c] = NaN;
      else throw invalid(`${where}[${c}] is ${describe(v)}; expected a number or null`);
    }
    return;
  }
  out.fill(NaN, offset, offset + F);
  for (const [name, v] of Object.entries(row)) {
    const column = schema.columns.get(name);
    if (column === undefined) throw invalid(`${where} has an unknown feature "${name}"`);
    if (typeof v === "number") out[offset + column] = v;
    else if (v !== null) throw invalid(`${where}.${name} is ${describe(v)}; expected a number or null`);
  }
}

/** "a string", "an array", "null", ... for messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" || type === "undefined" ? `an ${type}` : `a ${type}`;
}
