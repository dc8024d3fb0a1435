/**
 * TreeSHAP on a valid chain-shaped tree thousands of levels deep (each node splits off one leaf): contributions
 * come back without a RangeError, with path memory linear in the depth, add up to the raw score, and equal
 * the real lightgbm package's `pred_contrib` on the same model text.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadPredictor } from "../../src/evaluator/load";
import { pathSize } from "../../src/evaluator/tree-shap";
import { runPython } from "../../scripts/lib/python";

const FEATURES = 5;

/** A regression model of one tree: node i sends x[i % 5] <= t_i to leaf i, the rest to node i + 1. */
function chainModel(depth: number): string {
  const n = depth;
  const idx = Array.from({ length: n }, (_, i) => i);
  const leafCount = Array.from({ length: n + 1 }, (_, i) => 10 + (i % 7));
  const internalCount = new Array<number>(n);
  for (let i = n - 1, sum = leafCount[n]; i >= 0; i--) internalCount[i] = sum += leafCount[i];
  const names = Array.from({ length: FEATURES }, (_, f) => `f${f}`);
  return [
    "tree",
    "version=v4",
    "num_class=1",
    "num_tree_per_iteration=1",
    "label_index=0",
    `max_feature_idx=${FEATURES - 1}`,
    "objective=regression",
    `feature_names=${names.join(" ")}`,
    `feature_infos=${names.map(() => "[-10:10]").join(" ")}`,
    "",
    "Tree=0",
    `num_leaves=${n + 1}`,
    "num_cat=0",
    `split_feature=${idx.map((i) => i % FEATURES).join(" ")}`,
    `split_gain=${idx.map(() => 1).join(" ")}`,
    `threshold=${idx.map((i) => (Math.sin(i) * 3).toFixed(6)).join(" ")}`,
    `decision_type=${idx.map(() => 2).join(" ")}`,
    `left_child=${idx.map((i) => -(i + 1)).join(" ")}`,
    `right_child=${idx.map((i) => (i === n - 1 ? -(n + 1) : i + 1)).join(" ")}`,
    `leaf_value=${leafCount.map((_, i) => (Math.cos(i) * 2).toFixed(6)).join(" ")}`,
    `leaf_weight=${leafCount.join(" ")}`,
    `leaf_count=${leafCount.join(" ")}`,
    `internal_value=${idx.map(() => 0).join(" ")}`,
    `internal_weight=${internalCount.join(" ")}`,
    `internal_count=${internalCount.join(" ")}`,
    "is_linear=0",
    "shrinkage=1",
    "",
    "",
    "end of trees",
    "",
  ].join("\n");
}

/** Rows that stop at different depths: early leaves, the middle, and the far end of the chain. */
const ROWS = [
  [5, 5, 5, 5, 5],
  [-5, -5, -5, -5, -5],
  [0.5, -0.2, 1.1, -2.5, 0.1],
  [2.9, 2.9, 2.9, 2.9, 2.9],
  [Number.NaN, 0, -1, 1, 3],
];

describe("TreeSHAP on a chain-shaped tree", () => {
  const depth = 3000;
  const text = chainModel(depth);
  const predictor = loadPredictor(text);
  const x = Float64Array.from(ROWS.flat());

  it(`gives contributions ${depth} levels deep that add up to the raw score`, () => {
    const contrib = predictor.predict(x, { output: "contrib" }).values;
    const raw = predictor.predict(x, { output: "raw" }).values;
    ROWS.forEach((_, r) => {
      const sum = contrib.slice(r * (FEATURES + 1), (r + 1) * (FEATURES + 1)).reduce((a, b) => a + b, 0);
      assert.ok(
        Math.abs(sum - raw[r]) <= 1e-9 * Math.max(1, Math.abs(raw[r])),
        `row ${r}: ${sum} vs ${raw[r]}`,
      );
    });
  });

  it("keeps path memory linear in the depth, not quadratic", () => {
    assert.equal(pathSize(depth, FEATURES), 6 * depth - 9);
    assert.equal(pathSize(3, FEATURES), (4 * 5) / 2);
  });

  it("equals lightgbm's pred_contrib on the same model", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deep-tree-"));
    const file = path.join(dir, "model.txt");
    fs.writeFileSync(file, text);
    const script = [
      "import json, sys, numpy as np, lightgbm as lgb",
      "b = lgb.Booster(model_file=sys.argv[1])",
      "x = np.array(json.loads(sys.argv[2]), dtype=np.float64)",
      "print(json.dumps(b.predict(x, pred_contrib=True).tolist()))",
    ].join("\n");
    const rows = JSON.stringify(ROWS.map((row) => row.map((v) => (Number.isNaN(v) ? null : v)))).replace(
      /null/g,
      "NaN",
    );
    const expected = JSON.parse(runPython(["-c", script, file, rows], { timeoutMs: 120_000 })) as number[][];
    const actual = predictor.predict(x, { output: "contrib" }).values;
    expected.flat().forEach((e, i) => {
      assert.ok(
        Math.abs(actual[i] - e) <= 1e-9 * Math.max(1, Math.abs(e)),
        `value ${i}: ${actual[i]} vs ${e}`,
      );
    });
  });
});
