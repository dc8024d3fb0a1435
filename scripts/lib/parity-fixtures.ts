/**
 * The parity matrix: models trained by the real `lightgbm` package and its outputs on edge-case rows, made by
 * test/parity/generate.py into .cache/parity/<hash of the script and requirements>/ so a change to either
 * regenerates them. Nothing here is typed in by hand: every expected number comes from LightGBM.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";
import { runPython } from "./python";

export type Encoded = number | "nan" | "inf" | "-inf";

export interface ParityPrediction {
  output: "value" | "raw" | "leaf" | "contrib";
  start_iteration: number;
  num_iteration: number | null;
  values: Encoded[][];
}

export interface ParityCase {
  name: string;
  description: string;
  dir: string;
  model: string;
  num_features: number;
  num_class: number;
  objective: string;
  rows: Encoded[][];
  predictions: ParityPrediction[];
  unsupported: { output: string; error: string }[];
}

export function decode(v: Encoded): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return v;
}

export function parityFixtures(): ParityCase[] {
  const script = path.join(REPO_ROOT, "test", "parity", "generate.py");
  const hash = createHash("sha256");
  for (const file of [
    script,
    path.join(REPO_ROOT, "requirements-dev.txt"),
    path.join(REPO_ROOT, "control", "requirements.txt"),
  ]) {
    hash.update(fs.readFileSync(file));
  }
  const dir = path.join(REPO_ROOT, ".cache", "parity", hash.digest("hex").slice(0, 16));
  const manifest = path.join(dir, "manifest.json");
  if (!fs.existsSync(manifest)) {
    // Generate into a private folder and rename it into place, so runs that start at the same moment (a test
    // and the benchmark) never read or overwrite each other's half-written cases.
    const scratch = `${dir}.tmp-${process.pid}`;
    fs.rmSync(scratch, { recursive: true, force: true });
    runPython([script, scratch]);
    // A folder without a manifest is what an interrupted run of the old, in-place generation left behind.
    if (fs.existsSync(dir) && !fs.existsSync(manifest)) fs.rmSync(dir, { recursive: true, force: true });
    try {
      fs.renameSync(scratch, dir);
    } catch (error) {
      fs.rmSync(scratch, { recursive: true, force: true });
      // Another run finished first; its folder is complete. Anything else (a stale partial folder) is an error.
      if (!fs.existsSync(manifest)) throw error;
    }
  }
  const { cases } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { cases: (string | { name: string })[] };
  return cases.map((entry) => {
    const name = typeof entry === "string" ? entry : entry.name;
    const caseDir = path.join(dir, name);
    const data = JSON.parse(fs.readFileSync(path.join(caseDir, "case.json"), "utf8")) as Omit<
      ParityCase,
      "dir"
    >;
    return { ...data, dir: caseDir };
  });
}
