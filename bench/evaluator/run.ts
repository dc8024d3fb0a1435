/**
 * The evaluator benchmark (`npm run bench:evaluator`): our evaluator (both engines, through the public API)
 * against the engines a user would pick instead — LightGBM's Booster.predict from Python, LightGBM's C API from
 * C, lleaves (from C), tl2cgen (generated C), m2cgen (generated JavaScript) and onnxruntime-node — each in its
 * own process with one thread. Peers come from their own environments (npm run bench:evaluator:setup) and are
 * skipped, with the reason, where they did not install.
 *
 * 1. Exactness on the parity matrix (test/parity/generate.py): see peers/exactness.ts.
 * 2. Speed on the three benchmark models (bench/make_models.py): see peers/speed.ts.
 * Writes bench/results/evaluator.json (or --out) and prints both tables in Markdown.
 *
 * Options: --quick (seed model, 1 round, fewer calls: for the test), --peers a,b (default: all),
 * --models seed,binary,multiclass_cat, --skip-exactness, --skip-speed, --out FILE.
 * Environment: BENCH_ROUNDS (3), BENCH_SINGLE_CALLS (20000), BENCH_BATCH_REPEATS (5), BENCH_RAMP_CALLS (30000).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { machineInfo } from "../machine";
import { parityFixtures } from "../../scripts/lib/parity-fixtures";
import { exactness } from "./peers/exactness";
import { choosePeers, type Peer } from "./peers/peers";
import { exactnessTable, speedTable, type ExactnessResult } from "./peers/report";
import { speed, type SpeedJob, type SpeedSide } from "./peers/speed";

const PYTHON = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
const MODELS_DIR = path.join(REPO_ROOT, ".cache", "bench-models");
const MODELS = [
  { id: "seed", label: "(a) seed regressor, 500 trees x 31 leaves, 20 features" },
  { id: "binary", label: "(b) binary classifier, 300 trees" },
  { id: "multiclass_cat", label: "(c) multiclass with categorical features" },
];

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    peers: { type: "string", default: "" },
    models: { type: "string", default: "" },
    "skip-exactness": { type: "boolean", default: false },
    "skip-speed": { type: "boolean", default: false },
    out: { type: "string", default: path.join(REPO_ROOT, "bench", "results", "evaluator.json") },
  },
});
const env = (name: string, normal: number, quick: number) =>
  Number(process.env[name] ?? (opts.quick ? quick : normal));
const SETTINGS = {
  rounds: env("BENCH_ROUNDS", 3, 1),
  singleCalls: env("BENCH_SINGLE_CALLS", 20_000, 2_000),
  batchRows: opts.quick ? 2_000 : 10_000,
  batchRepeats: env("BENCH_BATCH_REPEATS", 5, 2),
  rampCalls: env("BENCH_RAMP_CALLS", 30_000, 3_000),
};
const log = (line: string) => console.error(line);
const list = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

function ensureModels(): void {
  const seedModel = path.join(REPO_ROOT, "model", "model.txt");
  const stamp = path.join(MODELS_DIR, "seed", "model.txt");
  const fresh =
    fs.existsSync(path.join(MODELS_DIR, "multiclass_cat", "rows.json")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === fs.readFileSync(seedModel, "utf8");
  if (fresh) return;
  log("making benchmark models with lightgbm (once) ...");
  execFileSync(PYTHON, [path.join(REPO_ROOT, "bench", "make_models.py"), MODELS_DIR], { stdio: "inherit" });
}

/** rows.json → rows.bin (float64, row-major), the children's input; and the model's row width. */
function modelInput(id: string): {
  model: string;
  rowsFile: string;
  ncol: number;
  width: number;
  rows: number;
} {
  const dir = path.join(MODELS_DIR, id);
  const model = path.join(dir, "model.txt");
  const rows = JSON.parse(fs.readFileSync(path.join(dir, "rows.json"), "utf8")) as number[][];
  const rowsFile = path.join(dir, "rows.bin");
  fs.writeFileSync(rowsFile, Float64Array.from(rows.flat()));
  const numClass = Number(/^num_class=(\d+)$/m.exec(fs.readFileSync(model, "utf8"))?.[1] ?? 1);
  return { model, rowsFile, ncol: rows[0].length, width: numClass, rows: rows.length };
}

function runExactness(chosen: { peer: Peer; skipped: string | null }[]): ExactnessResult[] {
  const cases = parityFixtures(); // once: it may have to train the matrix first
  return chosen.map(({ peer, skipped }) => {
    if (skipped) return { peer: peer.name, skipped };
    if (!peer.judged)
      return {
        peer: peer.name,
        skipped: "the reference: the parity matrix's expected values are its output",
      };
    const t0 = performance.now();
    const results = exactness(peer, cases);
    log(
      `exactness ${peer.name}: ${results.filter((c) => !("error" in c.value) && c.value.exact).length}/${results.length} (${((performance.now() - t0) / 1e3).toFixed(0)} s)`,
    );
    return { peer: peer.name, cases: results };
  });
}

async function runSpeed(chosen: { peer: Peer; skipped: string | null }[], modelIds: string[]) {
  const out = [];
  for (const id of modelIds) {
    const input = modelInput(id);
    const jobs: SpeedJob[] = [];
    const skipped: { peer: string; why: string }[] = [];
    for (const { peer, skipped: why } of chosen) {
      if (why) {
        skipped.push({ peer: peer.name, why });
        continue;
      }
      const [p] = peer.prepare([input.model], false);
      if ("error" in p) skipped.push({ peer: peer.name, why: p.error });
      else jobs.push({ peer, artifact: p.artifact, prepareS: p.seconds });
    }
    log(`speed on ${id}: ${jobs.map((j) => j.peer.name).join(", ")}`);
    const settings = { ...SETTINGS, batchRows: Math.min(SETTINGS.batchRows, input.rows) };
    const sides: SpeedSide[] = await speed(jobs, input, settings, log);
    out.push({
      model: id,
      label: MODELS.find((m) => m.id === id)?.label ?? id,
      batchRows: settings.batchRows,
      sides,
      skipped,
    });
  }
  return out;
}

async function main(): Promise<void> {
  const chosen = choosePeers(list(opts.peers));
  for (const c of chosen) if (c.skipped) log(`skipping ${c.peer.name}: ${c.skipped}`);
  const peers = chosen.map((c) => c.peer);
  const modelIds =
    opts.quick && !opts.models
      ? ["seed"]
      : list(opts.models).length > 0
        ? list(opts.models)
        : MODELS.map((m) => m.id);
  if (!opts["skip-speed"]) ensureModels();
  const machine = machineInfo();
  const exact = opts["skip-exactness"] ? [] : runExactness(chosen);
  const speedResults = opts["skip-speed"] ? [] : await runSpeed(chosen, modelIds);

  const lines = [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; node ${machine.node}; commit ${machine.commit}; one thread everywhere`,
    "",
  ];
  if (exact.length > 0) {
    lines.push(
      "Exactness on the parity matrix (output value and raw, all iterations; exact = within 1e-12 relative of lightgbm, as our parity test):",
      "",
      ...exactnessTable(exact, peers),
      "",
    );
  }
  for (const s of speedResults) {
    lines.push(
      `Speed on ${s.label}: ${SETTINGS.rounds} round(s), alternating; single row = median of ${SETTINGS.singleCalls} calls after ${SETTINGS.rampCalls} ramp calls; batch = ${s.batchRows} rows per call, median of ${SETTINGS.batchRepeats}`,
      "",
      ...speedTable(s.sides, peers, s.skipped),
      "",
    );
  }
  console.log(lines.join("\n"));
  fs.mkdirSync(path.dirname(opts.out!), { recursive: true });
  fs.writeFileSync(
    opts.out!,
    JSON.stringify(
      {
        machine,
        settings: SETTINGS,
        quick: opts.quick,
        exactness: exact,
        speed: speedResults,
        table: lines.join("\n"),
      },
      null,
      1,
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
