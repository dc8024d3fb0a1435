/**
 * The compiled engines (WebAssembly and JavaScript chunks) against the reference engine on rows the fixtures do
 * not have: random values mixed with NaN, ±0, ±1e-35f, ±inf and each model's own thresholds and their neighbours
 * one ulp away, for every model of the parity matrix and every iteration range shape. They must agree exactly (same decisions, same summation
 * order), including for leaf indices.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { ZERO_THRESHOLD } from "../../src/model/decision-type";
import { createPredictor } from "../../src/evaluator/load";
import type { Model } from "../../src/model/types";
import { parseModel } from "../../src/parser/parse-model";
import { parityFixtures } from "../../scripts/lib/parity-fixtures";

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function nextUp(x: number, direction: 1 | -1): number {
  const buffer = new DataView(new ArrayBuffer(8));
  if (x === 0) return direction * Number.MIN_VALUE;
  buffer.setFloat64(0, x);
  const bits = buffer.getBigInt64(0);
  buffer.setBigInt64(0, bits + BigInt((x > 0 ? 1 : -1) * direction));
  return buffer.getFloat64(0);
}

function edgeRows(model: Model, count: number, seed: number): Float64Array {
  const F = model.header.maxFeatureIdx + 1;
  const specials = [
    NaN,
    0,
    -0,
    ZERO_THRESHOLD,
    -ZERO_THRESHOLD,
    1e-35,
    Infinity,
    -Infinity,
    2.7,
    -0.6,
    1e10,
    2 ** 31,
  ];
  const thresholds = model.trees.flatMap((t) =>
    Array.from(t.threshold).flatMap((v) => [v, nextUp(v, 1), nextUp(v, -1)]),
  );
  const rand = random(seed);
  const rows = new Float64Array(count * F);
  for (let i = 0; i < rows.length; i++) {
    const pick = rand();
    if (pick < 0.15) rows[i] = specials[Math.floor(rand() * specials.length)];
    else if (pick < 0.5 && thresholds.length > 0)
      rows[i] = thresholds[Math.floor(rand() * thresholds.length)];
    else rows[i] = (rand() - 0.5) * 10 * (rand() < 0.3 ? 100 : 1);
  }
  return rows;
}

for (const engine of ["compiled", "compiled-js"] as const) {
  describe(`the ${engine} engine agrees exactly with the reference engine`, () => {
    for (const c of parityFixtures()) {
      it(`on ${c.name}`, () => {
        const model = parseModel(fs.readFileSync(path.join(c.dir, c.model), "utf8"));
        const reference = createPredictor(model, "reference");
        const compiled = createPredictor(model, engine);
        const rows = edgeRows(model, 300, c.name.length * 7919);
        const n = reference.numIterations;
        const ranges = [
          {},
          { startIteration: 1, numIteration: 2 },
          { startIteration: Math.floor(n / 3) },
          { numIteration: Math.max(1, n - 1) },
        ];
        for (const range of ranges) {
          for (const output of ["raw", "value", "leaf"] as const) {
            const a = reference.predict(rows, { ...range, output }).values;
            const b = compiled.predict(rows, { ...range, output }).values;
            for (let i = 0; i < a.length; i++) {
              assert.ok(
                Object.is(a[i], b[i]) || a[i] === b[i],
                `${output} ${JSON.stringify(range)} value ${i}: reference ${a[i]}, ${engine} ${b[i]}`,
              );
            }
          }
        }
      });
    }
  });
}
