/**
 * The models of ../shared/parity-corpus, written by LightGBM 2.x/3.x for another project, with the outputs
 * LightGBM gave. They are read from there (never copied into this repository); without the folder the cases
 * are reported as skipped. Both engines must reproduce every case within the manifest's tolerance.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createPredictor, type EngineName } from "../../src/evaluator/load";
import type { OutputKind } from "../../src/evaluator/predictor";
import { parseModel } from "../../src/parser/parse-model";
import { parseDelimited, parseLibsvm } from "../../src/input/rows";
import { PARITY_CORPUS_DIR } from "../support/paths";

interface CorpusCase {
  name: string;
  model: string;
  input: string;
  input_format: "tsv" | "csv" | "libsvm";
  delimiter: string;
  label_column: number | null;
  num_features: number;
  expected: string;
  expected_delimiter?: string;
  output: "raw" | "value" | "leaf";
  values_per_row: number;
  tolerance: number;
  num_iteration: number | null;
  quirks: string[];
}

const manifestPath = path.join(PARITY_CORPUS_DIR, "manifest.json");
const available = fs.existsSync(manifestPath);
const cases: CorpusCase[] = available
  ? (JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { cases: CorpusCase[] }).cases
  : [];

function readRows(c: CorpusCase): Float64Array {
  const text = fs.readFileSync(path.join(PARITY_CORPUS_DIR, c.input), "utf8");
  if (c.input_format === "libsvm") return parseLibsvm(text, c.num_features);
  const withLabel = c.num_features + (c.label_column === null ? 0 : 1);
  const all = parseDelimited(text, { delimiter: c.delimiter, header: false, numFeatures: withLabel });
  if (c.label_column === null) return all;
  const rows = all.length / withLabel;
  const out = new Float64Array(rows * c.num_features);
  for (let r = 0; r < rows; r++) {
    let j = 0;
    for (let col = 0; col < withLabel; col++) {
      if (col !== c.label_column) out[r * c.num_features + j++] = all[r * withLabel + col];
    }
  }
  return out;
}

function readExpected(c: CorpusCase): number[] {
  const text = fs.readFileSync(path.join(PARITY_CORPUS_DIR, c.expected), "utf8");
  return text
    .trim()
    .split(/\s+/)
    .map((token) => Number(token));
}

describe(
  "the shared parity corpus (LightGBM 2.x/3.x models written by others)",
  { skip: !available && `${PARITY_CORPUS_DIR} is absent` },
  () => {
    for (const engine of ["reference", "compiled", "compiled-js"] as EngineName[]) {
      for (const c of cases) {
        it(`${engine} engine reproduces ${c.name}`, () => {
          const model = parseModel(fs.readFileSync(path.join(PARITY_CORPUS_DIR, c.model), "utf8"));
          const predictor = createPredictor(model, engine);
          assert.equal(predictor.numFeatures, c.num_features);
          const rows = readRows(c);
          const expected = readExpected(c);
          // LightGBM 2.x returned a random forest's plain leaf average with no sigmoid (the corpus README's
          // quirk rf_v2_leaf_values_are_probabilities): compare that case against raw / iterations.
          const legacyRf = c.quirks.includes("rf_v2_leaf_values_are_probabilities");
          const output: OutputKind = legacyRf ? "raw" : c.output;
          const { values } = predictor.predict(rows, { output, numIteration: c.num_iteration });
          const actual = legacyRf
            ? Array.from(values, (v) => v / predictor.numIterations)
            : Array.from(values);
          assert.equal(actual.length, expected.length);
          for (let i = 0; i < expected.length; i++) {
            const diff = Math.abs(actual[i] - expected[i]);
            assert.ok(
              diff <= c.tolerance,
              `value ${i}: got ${actual[i]}, expected ${expected[i]} (tolerance ${c.tolerance})`,
            );
          }
        });
      }
    }
  },
);
