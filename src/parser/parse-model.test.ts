/**
 * The parser against real LightGBM output (the bundled model/model.txt) and mutations of it: every malformed
 * file fails with its own code, naming the tree, the key and the line.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ModelFormatError, type ModelFormatErrorCode } from "../model/model-format-error";
import { parseModel } from "./parse-model";

const BUNDLED = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "model", "model.txt"), "utf8");
const LINES = BUNDLED.split("\n");

/** 1-based line number of the first line at or after `from` that starts with `prefix`. */
function lineOf(prefix: string, from = 1): number {
  const i = LINES.findIndex((l, idx) => idx + 1 >= from && l.startsWith(prefix));
  assert.ok(i >= 0, `no line starts with ${prefix}`);
  return i + 1;
}

function withLine(line: number, edit: (text: string) => string): string {
  return LINES.map((l, i) => (i + 1 === line ? edit(l) : l)).join("\n");
}

function rejects(
  text: string,
  code: ModelFormatErrorCode,
  where: { tree?: number; key?: string; line?: number },
): void {
  assert.throws(
    () => parseModel(text),
    (error: unknown) => {
      assert.ok(error instanceof ModelFormatError, `expected a ModelFormatError, got ${String(error)}`);
      assert.equal(error.code, code, error.message);
      assert.deepEqual(
        { tree: error.location.tree, key: error.location.key, line: error.location.line },
        { tree: where.tree, key: where.key, line: where.line },
        error.message,
      );
      if (where.tree !== undefined) assert.match(error.message, new RegExp(`tree ${where.tree}\\b`));
      if (where.key !== undefined) assert.match(error.message, new RegExp(`key "${where.key}"`));
      if (where.line !== undefined) assert.match(error.message, new RegExp(`line ${where.line}\\b`));
      return true;
    },
  );
}

describe("parsing the bundled model", () => {
  const model = parseModel(BUNDLED);

  it("reads the header LightGBM wrote", () => {
    assert.equal(model.header.version, "v4");
    assert.equal(model.header.numClass, 1);
    assert.equal(model.header.maxFeatureIdx, 19);
    assert.equal(model.header.featureNames.length, 20);
    assert.equal(model.objective.name, "regression");
  });

  it("reads 500 trees of 31 leaves with LightGBM's array lengths", () => {
    assert.equal(model.trees.length, 500);
    for (const tree of model.trees) {
      assert.equal(tree.leafValue.length, tree.numLeaves);
      assert.equal(tree.threshold.length, tree.numLeaves - 1);
    }
    assert.equal(Math.max(...model.trees.map((t) => t.numLeaves)), 31);
  });

  it("exposes the parameters section and the pandas_categorical line as metadata", () => {
    assert.ok(model.parameters.has("objective"));
    assert.ok(BUNDLED.includes("pandas_categorical:"), "the Python package writes the trailer line");
    assert.equal(model.pandasCategorical, null);
  });

  it("accepts Windows line endings", () => {
    assert.equal(parseModel(BUNDLED.replace(/\n/g, "\r\n")).trees.length, 500);
  });
});

describe("rejecting malformed models", () => {
  const tree3 = lineOf("Tree=3");

  it("rejects an empty file", () => {
    rejects("\n\n", "empty_model", {});
  });

  it("rejects a file truncated in the middle of the trees", () => {
    const cut = lineOf("Tree=250");
    const text = LINES.slice(0, cut + 5).join("\n");
    rejects(text, "truncated_model", { tree: 250, line: cut + 5 });
  });

  it("rejects a threshold list with a value missing, naming tree 3", () => {
    const line = lineOf("threshold=", tree3);
    rejects(
      withLine(line, (l) => l.replace(/ \S+$/, "")),
      "array_length",
      { tree: 3, key: "threshold", line },
    );
  });

  it("rejects a leaf_value list with a value too many", () => {
    const line = lineOf("leaf_value=", tree3);
    rejects(
      withLine(line, (l) => `${l} 0.5`),
      "array_length",
      { tree: 3, key: "leaf_value", line },
    );
  });

  it("rejects an unknown objective", () => {
    const line = lineOf("objective=");
    rejects(
      withLine(line, () => "objective=frobnicate"),
      "unknown_objective",
      { key: "objective", line },
    );
  });

  it("rejects a binary objective without a positive sigmoid", () => {
    const line = lineOf("objective=");
    rejects(
      withLine(line, () => "objective=binary sigmoid:0"),
      "invalid_value",
      { key: "objective", line },
    );
  });

  it("rejects a decision_type LightGBM never writes", () => {
    const line = lineOf("decision_type=", lineOf("Tree=2"));
    rejects(
      withLine(line, (l) => l.replace(/=(\d+)/, "=64")),
      "unknown_decision_type",
      {
        tree: 2,
        key: "decision_type",
        line,
      },
    );
  });

  it("rejects a tree without its left_child line", () => {
    const line = lineOf("left_child=", lineOf("Tree=1"));
    const text = LINES.filter((_, i) => i + 1 !== line).join("\n");
    rejects(text, "missing_key", { tree: 1, key: "left_child", line: lineOf("Tree=1") });
  });

  it("rejects a leaf value that is not a number", () => {
    const line = lineOf("leaf_value=", tree3);
    rejects(
      withLine(line, (l) => l.replace(/=\S+/, "=abc")),
      "invalid_value",
      { tree: 3, key: "leaf_value", line },
    );
  });

  it("rejects a child index that points outside the tree", () => {
    const line = lineOf("right_child=", tree3);
    rejects(
      withLine(line, (l) => l.replace(/=\S+/, "=99")),
      "invalid_structure",
      { tree: 3, key: "right_child", line },
    );
  });

  it("rejects a split on a feature the header does not have", () => {
    const line = lineOf("split_feature=", tree3);
    rejects(
      withLine(line, (l) => l.replace(/=\S+/, "=20")),
      "invalid_structure",
      { tree: 3, key: "split_feature", line },
    );
  });

  it("rejects feature_names that disagree with max_feature_idx", () => {
    const line = lineOf("feature_names=");
    rejects(
      withLine(line, (l) => l.replace(/ \S+$/, "")),
      "array_length",
      { key: "feature_names", line },
    );
  });

  it("rejects a header without max_feature_idx", () => {
    const line = lineOf("max_feature_idx=");
    rejects(LINES.filter((_, i) => i + 1 !== line).join("\n"), "missing_key", {
      key: "max_feature_idx",
      line: 1,
    });
  });

  it("rejects a pandas_categorical line that is not JSON", () => {
    const line = lineOf("pandas_categorical:");
    rejects(
      withLine(line, () => "pandas_categorical:[oops"),
      "invalid_value",
      { key: "pandas_categorical", line },
    );
  });
});
