import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ModelFormatError } from "./model-format-error";
import { KNOWN_OBJECTIVES, parseObjective } from "./objectives";

const where = { line: 1 };

/** The objective line LightGBM would write for `name`, with the parameters its family needs. */
function lineFor(name: string): string {
  if (name === "binary") return "binary sigmoid:1";
  if (name === "multiclass") return "multiclass num_class:3";
  if (name === "multiclassova") return "multiclassova num_class:3 sigmoid:1";
  return name;
}

function apply(line: string, scores: number[], numClass = scores.length): number[] {
  const s = Float64Array.from(scores);
  parseObjective(line, numClass, where).transform(s, 0);
  return Array.from(s);
}

describe("the objective table", () => {
  it("parses every objective it lists", () => {
    for (const name of KNOWN_OBJECTIVES) {
      const numClass = name.startsWith("multiclass") ? 3 : 1;
      assert.equal(parseObjective(lineFor(name), numClass, where).name, name);
    }
  });

  it("refuses an unknown objective, naming it and the supported ones", () => {
    for (const name of ["regresion", "__proto__", "toString", "constructor"]) {
      assert.throws(
        () => parseObjective(name, 1, where),
        (e: unknown) =>
          e instanceof ModelFormatError && e.code === "unknown_objective" && e.message.includes(name),
      );
    }
  });

  it("treats a file without an objective line as identity", () => {
    assert.deepEqual(apply("regression", [2.5]), [2.5]);
    assert.equal(parseObjective(null, 1, where).transformName, "identity");
  });

  it("squares with the sign for regression with sqrt, except huber", () => {
    assert.deepEqual(apply("regression sqrt", [-3]), [-9]);
    assert.deepEqual(apply("huber sqrt", [-3]), [-3]);
  });

  it("exponentiates for poisson, gamma and tweedie", () => {
    for (const name of ["poisson", "gamma", "tweedie"]) assert.deepEqual(apply(name, [0]), [1]);
  });

  it("applies the sigmoid with the file's slope for binary", () => {
    assert.deepEqual(apply("binary sigmoid:2", [0]), [0.5]);
    assert.equal(apply("binary sigmoid:2", [1])[0], 1 / (1 + Math.exp(-2)));
  });

  it("applies softmax across the classes for multiclass", () => {
    const p = apply("multiclass num_class:3", [1, 2, 3]);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-15);
    assert.ok(p[0] < p[1] && p[1] < p[2]);
  });

  it("refuses a multiclass objective whose num_class disagrees with the header", () => {
    assert.throws(() => parseObjective("multiclass num_class:4", 3, where), /disagrees/);
  });

  it("refuses a binary objective without a positive sigmoid", () => {
    for (const line of ["binary", "binary sigmoid:0", "binary sigmoid:x"]) {
      assert.throws(() => parseObjective(line, 1, where), /sigmoid/);
    }
  });

  it("refuses a parameter that is not key:value", () => {
    assert.throws(() => parseObjective("binary sigmoid", 1, where), /not key:value/);
  });
});
