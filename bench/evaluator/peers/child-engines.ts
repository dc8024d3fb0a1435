/**
 * The engines the Node child (child.ts) runs: ours through the public API (both engines), m2cgen's generated
 * JavaScript, and onnxruntime-node (from this benchmark's own peers/node/node_modules, float32 input).
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { loadPredictor, type EngineName } from "../../../src/index";
import { REPO_ROOT } from "../../../scripts/lib/paths";

/** Predicts rows (row-major float64) into out; width values per row. */
export interface ChildEngine {
  predictRow(x: Float64Array, out: Float64Array): void | Promise<void>;
  predictBatch(rows: Float64Array, n: number, out: Float64Array): void | Promise<void>;
}

function ours(engine: EngineName, artifact: string, raw: boolean): ChildEngine {
  const predictor = loadPredictor(fs.readFileSync(artifact, "utf8"), engine);
  const output = raw ? "raw" : "value";
  return {
    predictRow: (x, out) => out.set(predictor.predict(x, { output }).values),
    predictBatch: (rows, _n, out) => out.set(predictor.predict(rows, { output }).values),
  };
}

function m2cgen(artifact: string, ncol: number, width: number): ChildEngine {
  const score = createRequire(__filename)(path.resolve(artifact)) as (
    input: Float64Array,
  ) => number | number[];
  const predictRow = (x: Float64Array, out: Float64Array, o = 0) => {
    const y = score(x);
    if (typeof y === "number") out[o] = y;
    else if (width === 1)
      out[o] = y[1]; // a binary classifier scores [1 - p, p]
    else for (let k = 0; k < width; k++) out[o + k] = y[k];
  };
  return {
    predictRow,
    predictBatch: (rows, n, out) => {
      for (let r = 0; r < n; r++) predictRow(rows.subarray(r * ncol, (r + 1) * ncol), out, r * width);
    },
  };
}

interface Ort {
  InferenceSession: {
    create(file: string, options: object): Promise<OrtSession>;
  };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => unknown;
}
interface OrtSession {
  outputNames: readonly string[];
  run(
    feeds: Record<string, unknown>,
  ): Promise<Record<string, { data: ArrayLike<number>; dims: readonly number[] }>>;
}

async function onnxruntime(artifact: string, ncol: number, width: number): Promise<ChildEngine> {
  const nodeDir = path.join(REPO_ROOT, "bench", "evaluator", "peers", "node");
  const ort = createRequire(path.join(nodeDir, "package.json"))("onnxruntime-node") as Ort;
  const session = await ort.InferenceSession.create(artifact, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
  });
  const output = session.outputNames.includes("probabilities") ? "probabilities" : session.outputNames[0];
  const run = async (rows: Float64Array, n: number, out: Float64Array) => {
    const input = new ort.Tensor("float32", Float32Array.from(rows.subarray(0, n * ncol)), [n, ncol]);
    const { data, dims } = (await session.run({ input }))[output];
    // A binary classifier's probabilities are [1 - p, p] per row: keep p, as LightGBM does.
    const columns = dims.length > 1 ? dims[1] : 1;
    const pick = columns === width + 1 ? 1 : 0;
    for (let r = 0; r < n; r++)
      for (let k = 0; k < width; k++) out[r * width + k] = data[r * columns + k + pick];
  };
  return { predictRow: (x, out) => run(x, 1, out), predictBatch: run };
}

export async function loadChildEngine(
  name: string,
  artifact: string,
  ncol: number,
  width: number,
  raw: boolean,
): Promise<ChildEngine> {
  switch (name) {
    case "ours-compiled":
      return ours("compiled", artifact, raw);
    case "ours-reference":
      return ours("reference", artifact, raw);
    case "m2cgen":
      return m2cgen(artifact, ncol, width);
    case "onnxruntime":
      return onnxruntime(artifact, ncol, width);
    default:
      throw new Error(`no Node engine ${name}`);
  }
}
