/**
 * The evaluator benchmark (`npm run bench:evaluator`): our evaluator (compiled and reference engines) against
 * LightGBM's `Booster.predict` from Python with one thread on numpy float64 input, on (a) the seed's 500-tree
 * regressor, (b) a binary classifier, (c) a multiclass model with categorical features. Sides alternate in
 * rounds; each figure is the median over rounds of per-round medians. Ratio = ours / LightGBM time (below 1
 * means faster than LightGBM). Writes bench/results/evaluator.json.
 *
 * Our side is warmed up as the server does it (30,000 synthetic rows, without the server's time cap); LightGBM's
 * side gets 200 warm-up calls
 * and one warm-up batch.
 *
 * Options (environment): BENCH_ROUNDS (3), BENCH_SINGLE_CALLS (5000), BENCH_BATCH_REPEATS (5).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadPredictor, type EngineName } from "../../src/evaluator/load";
import { warmUp } from "../../src/evaluator/warm-up";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { machineInfo, median } from "../machine";

const PYTHON = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
const MODELS_DIR = path.join(REPO_ROOT, ".cache", "bench-models");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SINGLE_CALLS = Number(process.env.BENCH_SINGLE_CALLS ?? 5000);
const BATCH_REPEATS = Number(process.env.BENCH_BATCH_REPEATS ?? 5);
const WARMUP_ROWS = 30_000;
const MODELS = [
  { id: "seed", label: "(a) seed regressor, 500 trees x 31 leaves, 20 features" },
  { id: "binary", label: "(b) binary classifier" },
  { id: "multiclass_cat", label: "(c) multiclass with categorical features" },
];

interface Side {
  singleNs: number[];
  batchNs: number[];
}

function ensureModels(): void {
  const seedModel = path.join(REPO_ROOT, "model", "model.txt");
  const stamp = path.join(MODELS_DIR, "seed", "model.txt");
  const fresh =
    fs.existsSync(path.join(MODELS_DIR, "multiclass_cat", "rows.json")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === fs.readFileSync(seedModel, "utf8");
  if (fresh) return;
  console.error("making benchmark models with lightgbm (once) ...");
  execFileSync(PYTHON, [path.join(REPO_ROOT, "bench", "make_models.py"), MODELS_DIR], { stdio: "inherit" });
}

function lightgbmSide(dir: string): Side & { versions: { lightgbm: string; numpy: string } } {
  const out = execFileSync(
    PYTHON,
    [
      path.join(REPO_ROOT, "bench", "evaluator", "lightgbm_side.py"),
      path.join(dir, "model.txt"),
      path.join(dir, "rows.json"),
      "--single-calls",
      String(SINGLE_CALLS),
      "--batch-repeats",
      String(BATCH_REPEATS),
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const r = JSON.parse(out) as { single_ns: number[]; batch_ns: number[]; lightgbm: string; numpy: string };
  return { singleNs: r.single_ns, batchNs: r.batch_ns, versions: { lightgbm: r.lightgbm, numpy: r.numpy } };
}

function oursSide(dir: string, engine: EngineName): Side {
  const predictor = loadPredictor(fs.readFileSync(path.join(dir, "model.txt"), "utf8"), engine);
  const rows = JSON.parse(fs.readFileSync(path.join(dir, "rows.json"), "utf8")) as number[][];
  const singles = rows.map((r) => Float64Array.from(r));
  const batch = Float64Array.from(rows.flat());
  const calls = engine === "reference" ? Math.min(SINGLE_CALLS, 2000) : SINGLE_CALLS;
  // The same warm-up the server does before it reports ready (V8 compiles the generated code after ~20k rows).
  warmUp(predictor, WARMUP_ROWS, 120_000);
  for (let i = 0; i < 2000; i++) predictor.predict(singles[i % singles.length]);
  const singleNs: number[] = [];
  for (let i = 0; i < calls; i++) {
    const row = singles[i % singles.length];
    const t0 = process.hrtime.bigint();
    predictor.predict(row);
    singleNs.push(Number(process.hrtime.bigint() - t0));
  }
  predictor.predict(batch);
  const batchNs: number[] = [];
  for (let k = 0; k < BATCH_REPEATS; k++) {
    const t0 = process.hrtime.bigint();
    predictor.predict(batch);
    batchNs.push(Number(process.hrtime.bigint() - t0));
  }
  return { singleNs, batchNs };
}

function main(): void {
  ensureModels();
  const machine = machineInfo();
  const results = [];
  let versions = { lightgbm: "?", numpy: "?" };
  for (const model of MODELS) {
    const dir = path.join(MODELS_DIR, model.id);
    const rowsCount = (JSON.parse(fs.readFileSync(path.join(dir, "rows.json"), "utf8")) as unknown[]).length;
    const rounds: { lightgbm: Side; compiled: Side; reference: Side }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const lgbm = lightgbmSide(dir);
      versions = lgbm.versions;
      rounds.push({
        lightgbm: lgbm,
        compiled: oursSide(dir, "compiled"),
        reference: oursSide(dir, "reference"),
      });
      console.error(`${model.id}: round ${r + 1}/${ROUNDS} done`);
    }
    const summary = (side: "lightgbm" | "compiled" | "reference") => {
      const singleUs = median(rounds.map((x) => median(x[side].singleNs))) / 1e3;
      const batchMs = median(rounds.map((x) => median(x[side].batchNs))) / 1e6;
      return { singleUs, batchMs, batchRowsPerS: rowsCount / (batchMs / 1e3) };
    };
    const lightgbm = summary("lightgbm");
    const compiled = summary("compiled");
    const reference = summary("reference");
    results.push({
      model: model.id,
      label: model.label,
      rows: rowsCount,
      lightgbm,
      compiled,
      reference,
      ratios: {
        compiledSingle: compiled.singleUs / lightgbm.singleUs,
        compiledBatch: compiled.batchMs / lightgbm.batchMs,
        referenceSingle: reference.singleUs / lightgbm.singleUs,
        referenceBatch: reference.batchMs / lightgbm.batchMs,
      },
      samples: rounds,
    });
  }

  const f = (x: number, d = 2) => x.toFixed(d);
  const lines = [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; lightgbm ${versions.lightgbm}, numpy ${versions.numpy}; commit ${machine.commit}`,
    `rounds ${ROUNDS}, single-row calls ${SINGLE_CALLS} per round, batch ${BATCH_REPEATS} repeats over all rows per round`,
    "",
    "| model | single row: LightGBM µs | ours (compiled) µs | ratio | ours (reference) µs | ratio | batch rows/s: LightGBM | ours (compiled) | ratio | ours (reference) | ratio |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.label} | ${f(r.lightgbm.singleUs, 1)} | ${f(r.compiled.singleUs, 1)} | ${f(r.ratios.compiledSingle)} | ${f(r.reference.singleUs, 1)} | ${f(r.ratios.referenceSingle)} | ${Math.round(r.lightgbm.batchRowsPerS)} | ${Math.round(r.compiled.batchRowsPerS)} | ${f(r.ratios.compiledBatch)} | ${Math.round(r.reference.batchRowsPerS)} | ${f(r.ratios.referenceBatch)} |`,
    ),
    "",
    "ratio = our time / LightGBM's time (below 1.00: faster than LightGBM)",
  ];
  console.log(lines.join("\n"));
  const outDir = path.join(REPO_ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(
    path.join(outDir, "evaluator.json"),
    JSON.stringify(
      {
        machine,
        versions,
        settings: { ROUNDS, SINGLE_CALLS, BATCH_REPEATS },
        results,
        table: lines.join("\n"),
      },
      null,
      1,
    ),
  );
}

main();
