/**
 * Warm-up: V8 runs fresh WebAssembly chunks with its quick baseline code and replaces them with optimised code
 * (compiled on background threads) once they have run a while; JavaScript chunks (the compiled-js engine) start
 * in the interpreter, and V8 throws away code it optimised before every comparison in it had run. Running
 * synthetic rows through a fresh predictor at load time, before the server says it is ready, moves these costs
 * out of the first requests.
 *
 * The rows are built from the model's own thresholds (each value one step either side of a split point of its
 * feature), so most branches get exercised; categorical features get small category codes. (Rows built to reach
 * every leaf were tried: same time to full speed, more memory.) They go in calls of ROWS_PER_CALL rows, few
 * enough that a call takes a few milliseconds before V8 has compiled anything, so a slice can yield in time.
 */
import { isCategorical } from "../model/decision-type";
import type { Predictor } from "./predictor";

export interface WarmUpResult {
  readonly rows: number;
  readonly ms: number;
}

export interface WarmUpOptions {
  /** Rows to run. */
  readonly rows: number;
  /** Stop after this long, whatever the row count. */
  readonly maxMs: number;
  /** Run at most this long before yielding to the event loop (default 10 ms). */
  readonly sliceMs?: number;
  /** Stops the warm-up early (at the next slice) when aborted. */
  readonly signal?: AbortSignal;
}

/** Rows per predict call during the warm-up (about 5 ms per call before V8 compiles, seed model). */
const ROWS_PER_CALL = 100;

/** Runs the warm-up to the end on the calling thread (for benchmarks and scripts). */
export function warmUp(predictor: Predictor, rows: number, timeBudgetMs: number): WarmUpResult {
  const started = performance.now();
  const source = new WarmUpRows(predictor);
  let done = 0;
  while (done < rows && performance.now() - started < timeBudgetMs) done += source.run(predictor);
  return { rows: done, ms: performance.now() - started };
}

/**
 * The same warm-up in slices of about `sliceMs`, yielding to the event loop between slices, so the server
 * keeps answering /health (and SIGTERM) while it warms up.
 */
export async function warmUpInSlices(predictor: Predictor, options: WarmUpOptions): Promise<WarmUpResult> {
  const started = performance.now();
  const sliceMs = options.sliceMs ?? 10;
  const source = new WarmUpRows(predictor);
  let done = 0;
  while (done < options.rows && performance.now() - started < options.maxMs && !options.signal?.aborted) {
    const sliceStart = performance.now();
    while (done < options.rows && performance.now() - sliceStart < sliceMs) done += source.run(predictor);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { rows: done, ms: performance.now() - started };
}

/** An endless source of warm-up rows around the model's split points. */
class WarmUpRows {
  private readonly F: number;
  private readonly points: number[][];
  private readonly categorical: boolean[];
  private readonly random = xorshift(0x9e3779b9);
  private readonly batch: Float64Array;

  constructor(predictor: Predictor) {
    const F = predictor.numFeatures;
    this.F = F;
    this.points = Array.from({ length: F }, () => []);
    this.categorical = new Array<boolean>(F).fill(false);
    for (const tree of predictor.model.trees) {
      for (let node = 0; node < tree.numLeaves - 1; node++) {
        const f = tree.splitFeature[node];
        if (isCategorical(tree.decisionType[node])) this.categorical[f] = true;
        else if (Number.isFinite(tree.threshold[node])) this.points[f].push(tree.threshold[node]);
      }
    }
    this.batch = new Float64Array(ROWS_PER_CALL * F);
  }

  /** Fills one call's rows, predicts them, and returns how many rows that was. */
  run(predictor: Predictor): number {
    for (let r = 0; r < ROWS_PER_CALL; r++) this.fill(r * this.F);
    predictor.predict(this.batch, { output: "value" });
    return ROWS_PER_CALL;
  }

  private fill(o: number): void {
    const { F, points, categorical, random, batch } = this;
    for (let f = 0; f < F; f++) {
      const p = points[f];
      batch[o + f] = categorical[f]
        ? Math.floor(random() * 64)
        : p.length === 0
          ? random()
          : p[Math.floor(random() * p.length)] * (1 + (random() - 0.5) * 1e-3) + (random() - 0.5) * 1e-6;
    }
  }
}

function xorshift(seed: number): () => number {
  return () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
}
