/**
 * The compiled engines' own mechanics: literals that keep every double exact, chunk-major batches (WebAssembly and
 * JavaScript chunks) that give each row exactly the sum it gets alone, and the WebAssembly memory's growth (the
 * conformance suite in test/parity checks the values themselves).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parseModel } from "../parser/parse-model";
import { literal } from "./compiled-engine";
import { createPredictor } from "./load";

const SEED = parseModel(
  fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "model", "model.txt"), "utf8"),
);

function rows(n: number, F: number): Float64Array {
  let s = 12345;
  return Float64Array.from({ length: n * F }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32 - 0.5) * 6;
  });
}

describe("literal", () => {
  it("writes source that evaluates to the same double, -0 and subnormals included", () => {
    for (const x of [0, -0, 0.1, -0.1, 1 / 3, 5e-324, -5e-324, 1e-35, 1.7976931348623157e308, -2.5e-310]) {
      const back = new Function(`return ${literal(x)};`)() as number;
      assert.ok(Object.is(back, x), `${x} came back as ${back}`);
    }
  });

  it("parenthesises negatives, so `- (-1)` cannot become `--1`", () => {
    assert.equal(new Function(`return 2 -${literal(-1)};`)(), 3);
  });
});

for (const engine of ["compiled", "compiled-js"] as const) {
  describe(`chunk-major batches (${engine})`, () => {
    const predictor = createPredictor(SEED, engine);
    const F = predictor.numFeatures;
    const batch = rows(300, F);

    for (const range of [{}, { startIteration: 7, numIteration: 123 }]) {
      it(`give every row the raw score it gets alone, bit for bit (${JSON.stringify(range)})`, () => {
        const together = predictor.predict(batch, { ...range, output: "raw" }).values;
        for (let r = 0; r < 300; r++) {
          const alone = predictor.predict(batch.subarray(r * F, r * F + F), {
            ...range,
            output: "raw",
          }).values;
          assert.ok(Object.is(together[r], alone[0]), `row ${r}: batch ${together[r]}, alone ${alone[0]}`);
        }
      });
    }

    it("agree bit for bit with the reference engine's row-by-row walk", () => {
      const reference = createPredictor(SEED, "reference").predict(batch, { output: "raw" }).values;
      const compiled = predictor.predict(batch, { output: "raw" }).values;
      assert.deepEqual(compiled, reference);
    });
  });
}

describe("the WebAssembly chunks' memory", () => {
  it("grows for a batch larger than it holds, and leaves the caller's scores to add to", () => {
    const predictor = createPredictor(SEED, "compiled");
    const big = rows(20_000, predictor.numFeatures);
    const reference = createPredictor(SEED, "reference").predict(big, { output: "raw" }).values;
    assert.deepEqual(predictor.predict(big, { output: "raw" }).values, reference);
    const scores = new Float64Array(2).fill(1.5);
    predictor.engine.addRawScores(big, 2, predictor.numFeatures, 0, 10, scores, 1);
    const expected = new Float64Array(2).fill(1.5);
    createPredictor(SEED, "reference").engine.addRawScores(big, 2, predictor.numFeatures, 0, 10, expected, 1);
    assert.deepEqual(scores, expected);
  });
});
