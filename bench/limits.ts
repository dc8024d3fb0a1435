/**
 * The figures behind the request limits' defaults (README, "Limits"): on a model (the bundled one by
 * default), the evaluator's time per row of each output kind next to the estimate request-limits.ts uses,
 * and the time to serialise the largest answer MAX_OUTPUT_VALUES allows.
 *   node dist/bench/limits.js [model.txt]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPredictor } from "../src/evaluator/load";
import { OUTPUT_KINDS, type OutputKind } from "../src/evaluator/predictor";
import { toRows } from "../src/evaluator/rows-out";
import { costPerRowMs, DEFAULT_LIMITS } from "../src/server/request-limits";
import { REPO_ROOT } from "../scripts/lib/paths";

const modelPath = process.argv[2] ?? path.join(REPO_ROOT, "model", "model.txt");
const predictor = loadPredictor(fs.readFileSync(modelPath, "utf8"));
const F = predictor.numFeatures;
const rows = Float64Array.from({ length: 2000 * F }, (_, i) => Math.sin(i) * 3);
const estimate = costPerRowMs(predictor);

function msPerRow(output: OutputKind): number {
  const n = output === "contrib" ? 40 : 2000;
  const x = rows.subarray(0, n * F);
  for (let i = 0; i < 3; i++) predictor.predict(x, { output });
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    predictor.predict(x, { output });
    samples.push((performance.now() - start) / n);
  }
  return samples.sort((a, b) => a - b)[2];
}

console.log(
  `model ${path.relative(REPO_ROOT, modelPath)}: ${predictor.model.trees.length} trees, ${F} features`,
);
console.log(
  "| output | measured ms/row (median of 5) | estimate ms/row | rows in MAX_INFERENCE_MS by measure |",
);
console.log("|---|---:|---:|---:|");
for (const output of OUTPUT_KINDS) {
  const measured = msPerRow(output);
  const fit = Math.floor(DEFAULT_LIMITS.maxInferenceMs / measured);
  console.log(`| ${output} | ${measured.toPrecision(3)} | ${estimate[output].toPrecision(3)} | ${fit} |`);
}
const n = DEFAULT_LIMITS.maxOutputValues;
for (const [output, width] of [
  ["leaf", 500],
  ["contrib", 25],
] as const) {
  const values = Float64Array.from({ length: n }, (_, i) => (output === "leaf" ? i % 31 : Math.sin(i)));
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    bytes = JSON.stringify({ predictions: toRows({ values, width }, output) }).length;
    samples.push(performance.now() - start);
  }
  const ms = samples.sort((a, b) => a - b)[2];
  console.log(
    `serialising ${n} ${output} values: ${ms.toFixed(1)} ms, ${(bytes / 1e6).toFixed(1)} MB (median of 5)`,
  );
}
