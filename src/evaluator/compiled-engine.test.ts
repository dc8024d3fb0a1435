/**
 * The compiled engine's own mechanics: literals that keep every double exact, and chunk-major batches that give
 * each row exactly the sum it gets alone (the conformance suite in test/parity checks the values themselves).
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

describe("chunk-major batches", () => {
  const predictor = createPredictor(SEED, "compiled");
  const F = predictor.numFeatures;
  const batch = rows(300, F);

  for (const range of [{}, { startIteration: 7, numIteration: 123 }]) {
    it(`give every row the raw score it gets alone, bit for bit (${JSON.stringify(range)})`, () => {
      const together = predictor.predict(batch, { ...range, output: "raw" }).values;
      for (let r = 0; r < 300; r++) {
        const alone = predictor.predict(batch.subarray(r * F, r * F + F), { ...range, output: "raw" }).values;
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
