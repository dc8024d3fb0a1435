/**
 * Warm-up: V8 compiles the generated tree code to machine code only after it has run a while (about 20,000
 * rows for the seed model's chunks), so a fresh predictor is several times slower than a warm one. Running
 * synthetic rows through it at load time, before the server says it is ready, moves that cost out of the
 * first requests. Rows are built from the model's own thresholds (each value one step either side of a split
 * point of its feature), so every branch gets exercised; categorical features get small category codes.
 */
import { isCategorical } from "../model/decision-type";
import type { Predictor } from "./predictor";

export interface WarmUpResult {
  readonly rows: number;
  readonly ms: number;
}

export function warmUp(predictor: Predictor, rows: number, timeBudgetMs: number): WarmUpResult {
  const started = performance.now();
  if (rows <= 0) return { rows: 0, ms: 0 };
  const F = predictor.numFeatures;
  const points: number[][] = Array.from({ length: F }, () => []);
  const categorical = new Array<boolean>(F).fill(false);
  for (const tree of predictor.model.trees) {
    for (let node = 0; node < tree.numLeaves - 1; node++) {
      const f = tree.splitFeature[node];
      if (isCategorical(tree.decisionType[node])) categorical[f] = true;
      else if (Number.isFinite(tree.threshold[node])) points[f].push(tree.threshold[node]);
    }
  }
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const batchRows = 1000;
  const batch = new Float64Array(batchRows * F);
  let done = 0;
  while (done < rows && performance.now() - started < timeBudgetMs) {
    for (let r = 0; r < batchRows; r++) {
      for (let f = 0; f < F; f++) {
        const p = points[f];
        batch[r * F + f] = categorical[f]
          ? Math.floor(random() * 64)
          : p.length === 0
            ? random()
            : p[Math.floor(random() * p.length)] * (1 + (random() - 0.5) * 1e-3) + (random() - 0.5) * 1e-6;
      }
    }
    predictor.predict(batch, { output: "value" });
    done += batchRows;
  }
  return { rows: done, ms: performance.now() - started };
}
