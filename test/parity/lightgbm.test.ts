/**
 * Parity with the real `lightgbm` package over the generated matrix (every objective, missing types and
 * default directions, categorical bitsets, linear trees, rf, dart, multiclass, ranking, truncated saves) on
 * rows that hit the edges. Required: values and raw scores within 1e-12 relative, leaf indices identical,
 * contributions within 1e-9; both engines.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createPredictor, type EngineName } from "../../src/evaluator/load";
import { PredictionError } from "../../src/evaluator/prediction-error";
import type { OutputKind } from "../../src/evaluator/predictor";
import { parseModel } from "../../src/parser/parse-model";
import { decode, parityFixtures, type ParityPrediction } from "../../scripts/lib/parity-fixtures";

const cases = parityFixtures();

function agrees(output: ParityPrediction["output"], actual: number, expected: number): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (actual === expected) return true;
  const diff = Math.abs(actual - expected);
  switch (output) {
    case "leaf":
      return false;
    case "contrib":
      return diff <= 1e-9 * Math.max(1, Math.abs(expected));
    default:
      return diff <= 1e-12 * Math.max(Math.abs(actual), Math.abs(expected));
  }
}

function label(p: ParityPrediction): string {
  return `${p.output} [start ${p.start_iteration}, num ${p.num_iteration ?? "all"}]`;
}

describe("parity with the lightgbm package", () => {
  it("covers every kind of model the issue lists", () => {
    const names = cases.map((c) => c.name).join(" ");
    for (const kind of ["linear", "rf", "dart", "multiclass", "lambdarank", "categorical", "tweedie"]) {
      assert.match(names, new RegExp(kind), `no parity case for ${kind}`);
    }
  });

  for (const engine of ["reference", "compiled", "compiled-js"] as EngineName[]) {
    for (const c of cases) {
      it(`${engine} engine matches LightGBM on ${c.name}`, () => {
        const model = parseModel(fs.readFileSync(path.join(c.dir, c.model), "utf8"));
        const predictor = createPredictor(model, engine);
        assert.equal(predictor.numFeatures, c.num_features);
        const rows = Float64Array.from(c.rows.flat(), decode);
        for (const p of c.predictions) {
          const { values, width } = predictor.predict(rows, {
            output: p.output as OutputKind,
            startIteration: p.start_iteration,
            numIteration: p.num_iteration,
          });
          assert.equal(width, p.values[0].length, `${label(p)}: width`);
          p.values.forEach((expectedRow, r) => {
            expectedRow.forEach((e, k) => {
              const expected = decode(e);
              const actual = values[r * width + k];
              assert.ok(
                agrees(p.output, actual, expected),
                `${label(p)} row ${r} [${c.rows[r].join(", ")}] value ${k}: got ${actual}, LightGBM ${expected}`,
              );
            });
          });
        }
        for (const refused of c.unsupported) {
          assert.throws(
            () => predictor.predict(rows, { output: refused.output as OutputKind }),
            (error: unknown) => error instanceof PredictionError && error.code === "unsupported_output",
          );
        }
      });
    }
  }
});
