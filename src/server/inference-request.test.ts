import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError } from "./api-error";
import { DEFAULT_LIMITS } from "./request-limits";
import { parseInferenceRequest, type FeatureSchema } from "./inference-request";

const schema: FeatureSchema = {
  numFeatures: 3,
  columns: new Map([
    ["a", 0],
    ["b", 1],
    ["c", 2],
  ]),
};
const parse = (body: unknown) => parseInferenceRequest(body, schema);

/** Asserts that `body` is refused as a client error with `code` and a message matching `message`. */
function refuses(body: unknown, code: string, message: RegExp): void {
  assert.throws(
    () => parse(body),
    (e: unknown) => e instanceof ApiError && e.code === code && message.test(e.message),
  );
}

describe("parseInferenceRequest", () => {
  it("reads one row as a single request with the default options", () => {
    const r = parse({ data: [1, null, -0] });
    assert.equal(r.single, true);
    assert.equal(r.count, 1);
    assert.deepEqual(Array.from(r.rows), [1, NaN, -0]);
    assert.deepEqual(r.options, { output: "value", startIteration: 0, numIteration: null });
  });

  it("reads a batch row-major, as a batch even when it holds one row", () => {
    const r = parse({ data: [[1, 2, 3]], output: "contrib", start_iteration: 2, num_iteration: 5 });
    assert.equal(r.single, false);
    assert.deepEqual(Array.from(r.rows), [1, 2, 3]);
    assert.deepEqual(r.options, { output: "contrib", startIteration: 2, numIteration: 5 });
  });

  it("reads named rows, with absent names and null as missing values", () => {
    const r = parse({ data: [{ c: 3 }, { a: 1, b: null }] });
    assert.deepEqual(Array.from(r.rows), [NaN, NaN, 3, 1, NaN, NaN]);
  });

  it("names the row and column of a value that is not a number", () => {
    refuses(
      {
        data: [
          [1, 2, 3],
          [1, "2", 3],
        ],
      },
      "invalid_request",
      /data\[1\]\[1\] is a string/,
    );
    refuses({ data: { a: true } }, "invalid_request", /data\.a is a boolean/);
  });

  it("names a row of the wrong width", () => {
    refuses({ data: [1, 2] }, "invalid_request", /data has 2 values; the model expects 3/);
    refuses({ data: [[1, 2, 3], [1]] }, "invalid_request", /data\[1\] has 1 values/);
  });

  it("refuses unknown fields and unknown feature names, including inherited property names", () => {
    refuses({ data: [1, 2, 3], rows: 1 }, "invalid_request", /unknown field "rows"/);
    for (const name of ["d", "__proto__", "constructor", "toString"]) {
      refuses({ data: JSON.parse(`{"${name}": 1}`) as unknown }, "invalid_request", /unknown feature/);
    }
  });

  it("refuses a body that is not an object, and a missing data field", () => {
    for (const body of [null, [1, 2, 3], "x", 3]) refuses(body, "invalid_request", /must be a JSON object/);
    refuses({}, "invalid_request", /data is missing/);
  });

  it("refuses options out of range", () => {
    refuses({ data: [1, 2, 3], output: "proba" }, "invalid_request", /output must be one of/);
    for (const start of [-1, 1.5, 1e300, "1"]) {
      refuses({ data: [1, 2, 3], start_iteration: start }, "invalid_request", /start_iteration/);
    }
    refuses({ data: [1, 2, 3], num_iteration: 0.5 }, "invalid_request", /num_iteration/);
  });

  it("refuses more rows than the limit before reading them", () => {
    const data = Array.from({ length: DEFAULT_LIMITS.maxRows + 1 }, () => "not a row");
    refuses({ data: [[1, 2, 3], ...data] }, "too_many_rows", /MAX_ROWS/);
  });
});
