/**
 * The HTTP contract of the TypeScript endpoint, request by request, against the app in this process on
 * loopback (createApp on a free port) serving the bundled model. Predictions must equal the evaluator's, bit
 * for bit (JSON numbers round-trip).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadPredictor } from "../../src/evaluator/load";
import type { OutputKind } from "../../src/evaluator/predictor";
import { toRows } from "../../src/evaluator/rows-out";
import { REPO_ROOT } from "../support/paths";
// Every exchange is checked against contract/openapi.json.
import { checkedFetch as fetch, checkedPost as post } from "../support/openapi";
import { listenInProcess, type InProcessServer } from "./in-process";

const MODEL_PATH = path.join(REPO_ROOT, "model", "model.txt");
const predictor = loadPredictor(fs.readFileSync(MODEL_PATH, "utf8"));
const F = predictor.numFeatures;
const names = predictor.model.header.featureNames;

/** Deterministic rows with a few missing values and the odd large or negative value. */
function rows(n: number): (number | null)[][] {
  return Array.from({ length: n }, (_, r) =>
    Array.from({ length: F }, (_, c) =>
      r % 5 === 4 && c % 7 === 3 ? null : Math.sin(r * 31 + c * 7) * 3 + (c === 0 ? r : 0),
    ),
  );
}

function expected(
  data: (number | null)[][],
  output: OutputKind = "value",
  startIteration = 0,
  numIteration: number | null = null,
) {
  const flat = Float64Array.from(data.flat(), (v) => (v === null ? NaN : v));
  return toRows(predictor.predict(flat, { output, startIteration, numIteration }), output);
}

describe("the HTTP contract", () => {
  let server: InProcessServer;
  let inference: string;
  before(async () => {
    server = await listenInProcess({ maxBodyBytes: 65536 });
    inference = `${server.url}/inference`;
  });
  after(async () => {
    await server.close();
  });

  it("answers one row with the evaluator's prediction", async () => {
    const [row] = rows(1);
    const res = await post(inference, { data: row });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { prediction: expected([row])[0] });
  });

  it("answers a batch with one prediction per row", async () => {
    const data = rows(25);
    const res = await post(inference, { data });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { predictions: expected(data) });
  });

  it("reads rows keyed by feature name, absent names and nulls being missing", async () => {
    const named = { [names[0]]: 1.5, [names[3]]: null, [names[7]]: -2 };
    const asArray = Array.from({ length: F }, (_, c) => (c === 0 ? 1.5 : c === 7 ? -2 : null));
    const single = await post(inference, { data: named });
    assert.deepEqual(single.body, { prediction: expected([asArray])[0] });
    const batch = await post(inference, { data: [named, named] });
    assert.deepEqual(batch.body, { predictions: expected([asArray, asArray]) });
  });

  for (const output of ["value", "raw", "leaf", "contrib"] as const) {
    it(`returns the ${output} output when asked`, async () => {
      const data = rows(3);
      const res = await post(inference, { data, output });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { predictions: expected(data, output) });
    });
  }

  it("honours start_iteration and num_iteration", async () => {
    const data = rows(4);
    const res = await post(inference, { data, output: "raw", start_iteration: 100, num_iteration: 50 });
    assert.deepEqual(res.body, { predictions: expected(data, "raw", 100, 50) });
    assert.notDeepEqual(res.body, { predictions: expected(data, "raw") });
  });

  it("describes the model at /model", async () => {
    const res = await fetch(`${server.url}/model`);
    const info = (await res.json()) as Record<string, unknown>;
    assert.equal(info.num_features, F);
    assert.equal(info.num_trees, 500);
    assert.equal(info.objective, "regression");
    assert.match(String(info.version), /^sha256:[0-9a-f]{16}$/);
    assert.deepEqual(info.feature_names, names);
  });

  it("reports health and readiness", async () => {
    assert.deepEqual(await (await fetch(`${server.url}/health`)).json(), { status: "ok" });
    assert.deepEqual(await (await fetch(`${server.url}/ready`)).json(), { status: "ready" });
  });

  const errorCases: [string, () => Promise<{ status: number; body: unknown }>, number, string, RegExp][] = [
    [
      "a row with a value missing",
      () => post(inference, { data: rows(1)[0].slice(1) }),
      400,
      "invalid_request",
      /^data has 19 values; the model expects 20$/,
    ],
    [
      "a batch row of the wrong width",
      () => post(inference, { data: [...rows(3), [1, 2]] }),
      400,
      "invalid_request",
      /^data\[3\] has 2 values; the model expects 20$/,
    ],
    [
      "a string among the values",
      () => post(inference, { data: [rows(1)[0].map((v, c) => (c === 7 ? "x" : v))] }),
      400,
      "invalid_request",
      /^data\[0\]\[7\] is a string/,
    ],
    [
      "a body without data",
      () => post(inference, { rows: [] }),
      400,
      "invalid_request",
      /unknown field "rows"/,
    ],
    ["an empty object", () => post(inference, {}), 400, "invalid_request", /^data is missing$/],
    [
      "data that is a number",
      () => post(inference, { data: 3 }),
      400,
      "invalid_request",
      /^data is a number/,
    ],
    [
      "an unknown feature name",
      () => post(inference, { data: { nope: 1 } }),
      400,
      "invalid_request",
      /unknown feature "nope"/,
    ],
    [
      "an unknown output",
      () => post(inference, { data: rows(1)[0], output: "proba" }),
      400,
      "invalid_request",
      /^output must be one of value, raw, leaf, contrib/,
    ],
    [
      "a negative start_iteration",
      () => post(inference, { data: rows(1)[0], start_iteration: -1 }),
      400,
      "invalid_request",
      /start_iteration must be a non-negative integer/,
    ],
    [
      "malformed JSON",
      () => post(inference, '{"data": [1,'),
      400,
      "invalid_json",
      /^the body is not valid JSON/,
    ],
    ["an empty body", () => post(inference, ""), 400, "invalid_json", /the body is empty/],
    [
      "a body that is not JSON",
      () => post(inference, "data=1", { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
      /must be application\/json, got "text\/plain"/,
    ],
    [
      "a body over the limit",
      () => post(inference, { data: Array.from({ length: 400 }, () => rows(1)[0]) }),
      413,
      "payload_too_large",
      /larger than the limit of 65536 bytes/,
    ],
  ];
  for (const [what, send, status, code, message] of errorCases) {
    it(`rejects ${what} with ${status} ${code}`, async () => {
      const res = await send();
      assert.equal(res.status, status);
      const { error } = res.body as { error: { code: string; message: string } };
      assert.equal(error.code, code);
      assert.match(error.message, message);
    });
  }

  it("answers 404 for an unknown route and 405 for a wrong method", async () => {
    const missing = await fetch(`${server.url}/predict`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, "not_found");
    const wrong = await fetch(inference);
    assert.equal(wrong.status, 405);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, "method_not_allowed");
  });

  it("keeps serving after every kind of bad request", async () => {
    for (const [, send] of errorCases) await send();
    const [row] = rows(1);
    const res = await post(inference, { data: row });
    assert.deepEqual(res.body, { prediction: expected([row])[0] });
    assert.deepEqual(server.logs, []);
  });

  describe("the Open Inference Protocol v2", () => {
    it("answers an FP64 tensor like /inference does", async () => {
      const data = rows(3);
      const res = await post(`${server.url}/v2/models/model/infer`, {
        id: "req-1",
        inputs: [{ name: "input-0", shape: [3, F], datatype: "FP64", data: data.flat() }],
      });
      assert.equal(res.status, 200);
      const body = res.body as {
        id: string;
        model_name: string;
        outputs: { name: string; shape: number[]; data: number[] }[];
      };
      assert.equal(body.id, "req-1");
      assert.equal(body.model_name, "model");
      assert.deepEqual(body.outputs[0].shape, [3]);
      assert.deepEqual(body.outputs[0].data, expected(data));
    });

    it("takes the output kind from the request parameters", async () => {
      const data = rows(2);
      const res = await post(`${server.url}/v2/models/model/infer`, {
        parameters: { output: "leaf" },
        inputs: [{ name: "input-0", shape: [2, F], datatype: "FP64", data }],
      });
      const body = res.body as { outputs: { shape: number[]; data: number[] }[] };
      assert.deepEqual(body.outputs[0].shape, [2, 500]);
      assert.deepEqual(body.outputs[0].data, (expected(data, "leaf") as number[][]).flat());
    });

    it("serves liveness, readiness and model metadata", async () => {
      assert.deepEqual(await (await fetch(`${server.url}/v2/health/live`)).json(), { live: true });
      assert.deepEqual(await (await fetch(`${server.url}/v2/health/ready`)).json(), { ready: true });
      const meta = (await (await fetch(`${server.url}/v2/models/model`)).json()) as {
        name: string;
        inputs: { shape: number[] }[];
      };
      assert.equal(meta.name, "model");
      assert.deepEqual(meta.inputs[0].shape, [-1, F]);
    });

    it("answers errors in the protocol's shape", async () => {
      const wrongShape = await post(`${server.url}/v2/models/model/infer`, {
        inputs: [{ name: "input-0", shape: [1, 3], datatype: "FP64", data: [1, 2, 3] }],
      });
      assert.equal(wrongShape.status, 400);
      assert.deepEqual(wrongShape.body, { error: "inputs[0].shape is [1, 3]; the model expects [rows, 20]" });
      const unknown = await fetch(`${server.url}/v2/models/other`);
      assert.equal(unknown.status, 404);
    });
  });
});
