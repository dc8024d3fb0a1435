/**
 * Profiles the compiled engine on one model, each variant in a fresh process so first-call and warm-up figures
 * are honest: load (parse + compile) time, first call, the single-row timeline from load (calls per 1,000
 * single-row predictions, time to full speed, pauses over 10 ms), then single-row median over 20,000 calls,
 * batch rows/s on 10,000 rows (best of 7 calls) and RSS. Variants alternate round by round; compare ratios
 * within one run. Times are the process's CPU time (`process.cpuUsage`), not wall time, so that other load on a
 * shared machine does not count; with V8's concurrent recompilation on, they include its compiler threads.
 *
 *   node dist/bench/evaluator/profile-engine.js [--model model/model.txt] [--rows rows.json] [--rounds 3]
 *        [--warm-up <rows>] [--variant name=<dist dir>[:<node flag>,...][@<engine>]] ...
 *
 * Rows are standard normal draws (the seed model's inputs are), or with --rows the rows of a JSON list of lists
 * (bench/make_models.py's rows.json: the other benchmark models' inputs are not normal, and which branches a
 * model takes depends on them); single rows are its first 1,000, the batch its first 10,000 (repeated if fewer).
 *
 * With --warm-up, the server's warm-up (src/evaluator/warm-up.ts of each variant) runs right after load, and
 * the first call, the timeline and the time to full speed start after it; fullSpeedMs still counts from load.
 *
 * Without --variant it profiles this checkout's dist/ with and without --no-concurrent-recompilation (the flag
 * bin/ts-endpoint passes). A variant's dist dir is another build (e.g. of main) to compare against.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

interface Figures {
  loadMs: number;
  warmUpMs: number;
  firstCallMs: number;
  /** ms from the end of load until single-row calls run at full speed (see `slow` below). */
  fullSpeedMs: number;
  /** Calls after load until full speed. */
  fullSpeedCalls: number;
  /** Slowest single call after full speed was reached, in ms. */
  worstCallAfterFullMs: number;
  /** Single calls over 10 ms after the first call. */
  pausesOver10Ms: number;
  singleUs: number;
  batchRowsPerS: number;
  rssMiB: number;
  /** CPU ms of each 1,000-call block of the timeline. */
  timeline: number[];
}

const DIST = path.resolve(__dirname, "..", "..");

function argValues(name: string): string[] {
  const out: string[] = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) if (args[i] === name) out.push(args[i + 1]);
  return out;
}

/** Standard normal rows (as make_regression draws them), from a seeded generator. */
function gaussianRows(n: number, F: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const rows = new Float64Array(n * F);
  for (let i = 0; i < rows.length; i++) {
    rows[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return rows;
}

/** The process's CPU time in ms (user + system). */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** n rows of F values: from rows.json (repeated as needed) if given, else standard normal from `seed`. */
function inputRows(rowsPath: string | undefined, n: number, F: number, seed: number): Float64Array {
  if (rowsPath === undefined) return gaussianRows(n, F, seed);
  const rows = JSON.parse(fs.readFileSync(rowsPath, "utf8")) as number[][];
  const out = new Float64Array(n * F);
  for (let r = 0; r < n; r++) out.set(rows[r % rows.length], r * F);
  return out;
}

/** Runs in the child: one variant, fresh V8. */
function child(
  dist: string,
  modelPath: string,
  rowsPath: string | undefined,
  warmUpRows: number,
  engine: string,
): Figures {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadPredictor } = require(path.join(dist, "src", "evaluator", "load.js")) as {
    loadPredictor: typeof import("../../src/evaluator/load").loadPredictor;
  };
  const text = fs.readFileSync(modelPath, "utf8");
  const t0 = cpuMs();
  const predictor = loadPredictor(text, engine as "compiled");
  const loaded = cpuMs();
  if (warmUpRows > 0) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { warmUp } = require(path.join(dist, "src", "evaluator", "warm-up.js")) as {
      warmUp: typeof import("../../src/evaluator/warm-up").warmUp;
    };
    warmUp(predictor, warmUpRows, 600_000);
  }
  const warmed = cpuMs();
  const F = predictor.numFeatures;
  const pool = inputRows(rowsPath, 1000, F, 42);
  const singles = Array.from({ length: 1000 }, (_, r) => pool.slice(r * F, r * F + F));
  const c0 = cpuMs();
  predictor.predict(singles[0]);
  const firstCallMs = cpuMs() - c0;

  // Timeline: 60 blocks of 1,000 single-row calls, straight after load (each call timed: getrusage costs ~1 µs).
  const blocks: { end: number; ms: number }[] = [];
  const callTimes: number[] = [];
  let sink = 0;
  for (let b = 0; b < 60; b++) {
    const start = cpuMs();
    for (let i = 0; i < 1000; i++) {
      const c = cpuMs();
      sink += predictor.predict(singles[i]).values[0];
      callTimes.push(cpuMs() - c);
    }
    const end = cpuMs();
    blocks.push({ end, ms: end - start });
  }
  // Full speed: from the first block after which every run of three blocks has its median within 1.25x of the
  // last ten blocks' median (one slow block alone is noise from other processes; three in a row are not).
  const final = median(blocks.slice(-10).map((b) => b.ms));
  const slow = blocks.map((_, b) => median(blocks.slice(b, b + 3).map((x) => x.ms)) > final * 1.25);
  let fullBlock = blocks.length - 1;
  while (fullBlock > 0 && !slow[fullBlock - 1]) fullBlock--;
  const fullSpeedMs = (fullBlock === 0 ? c0 : blocks[fullBlock - 1].end) - loaded;
  const after = callTimes.slice(fullBlock * 1000);

  const single: number[] = [];
  for (let b = 0; b < 20; b++) {
    const c = cpuMs();
    for (let i = 0; i < 1000; i++) sink += predictor.predict(singles[i]).values[0];
    single.push((cpuMs() - c) / 1000);
  }
  const batch = inputRows(rowsPath, 10_000, F, 7);
  const batchMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c = cpuMs();
    sink += predictor.predict(batch).values[0];
    batchMs.push(cpuMs() - c);
  }
  if (sink === 0.123) console.error(sink);
  return {
    loadMs: loaded - t0,
    warmUpMs: warmed - loaded,
    firstCallMs,
    fullSpeedMs,
    fullSpeedCalls: fullBlock * 1000,
    worstCallAfterFullMs: Math.max(...after),
    pausesOver10Ms: callTimes.slice(1).filter((t) => t > 10).length,
    singleUs: median(single) * 1e3,
    batchRowsPerS: 10_000 / (median(batchMs) / 1e3),
    rssMiB: process.memoryUsage().rss / 2 ** 20,
    timeline: blocks.map((b) => Math.round(b.ms * 10) / 10),
  };
}

function main(): void {
  const modelPath = argValues("--model")[0] ?? path.join(DIST, "..", "model", "model.txt");
  if (process.argv[2] === "--child") {
    const warmUpRows = Number(argValues("--warm-up")[0] ?? 0);
    const engine = argValues("--engine")[0] ?? "compiled";
    const rowsPath = argValues("--rows")[0];
    process.stdout.write(JSON.stringify(child(process.argv[3], modelPath, rowsPath, warmUpRows, engine)));
    return;
  }
  const rounds = Number(argValues("--rounds")[0] ?? 3);
  const warmUp = argValues("--warm-up")[0] ?? "0";
  const specs = argValues("--variant");
  const variants = (
    specs.length > 0 ? specs : [`this=${DIST}`, `this+no-concurrent=${DIST}:--no-concurrent-recompilation`]
  ).map((spec) => {
    const [name, rest] = spec.split(/=(.*)/s);
    const [where, engine = "compiled"] = rest.split("@");
    const [dist, flags = ""] = where.split(":");
    return { name, dist: path.resolve(dist), engine, flags: flags.split(",").filter((f) => f !== "") };
  });
  const results = new Map<string, Figures[]>(variants.map((v) => [v.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const v of variants) {
      const out = execFileSync(
        process.execPath,
        [
          ...v.flags,
          __filename,
          "--child",
          v.dist,
          "--model",
          modelPath,
          "--warm-up",
          warmUp,
          ...argValues("--rows").flatMap((rows) => ["--rows", path.resolve(rows)]),
          "--engine",
          v.engine,
        ],
        { encoding: "utf8", maxBuffer: 1 << 20 },
      );
      results.get(v.name)?.push(JSON.parse(out) as Figures);
    }
  }
  console.log(
    `model ${modelPath}; rows ${argValues("--rows")[0] ?? "normal"}; warm-up ${warmUp} rows; ${rounds} rounds, variants alternate; medians over rounds; CPU ms`,
  );
  const keys: Exclude<keyof Figures, "timeline">[] = [
    "loadMs",
    "warmUpMs",
    "firstCallMs",
    "fullSpeedMs",
    "fullSpeedCalls",
    "worstCallAfterFullMs",
    "pausesOver10Ms",
    "singleUs",
    "batchRowsPerS",
    "rssMiB",
  ];
  console.log(`| variant | ${keys.join(" | ")} |`);
  console.log(`|---|${keys.map(() => "---:").join("|")}|`);
  for (const v of variants) {
    const figures = results.get(v.name) ?? [];
    const cells = keys.map((k) => {
      const m = median(figures.map((f) => f[k]));
      return m >= 1000 ? Math.round(m).toString() : m.toPrecision(3);
    });
    console.log(`| ${v.name} | ${cells.join(" | ")} |`);
  }
  console.log("\nCPU ms per 1,000 single-row calls after load (and warm-up), first round:");
  for (const v of variants) console.log(`${v.name}: ${results.get(v.name)?.[0].timeline.join(" ")}`);
}

main();
