/**
 * The exactness table: every engine on every case of the parity matrix (test/parity/generate.py, trained by
 * the real lightgbm), output "value" and, where the engine has one, "raw" (iterations: all). Exact means what
 * our parity test requires: every value within 1e-12 relative of LightGBM's (NaN where LightGBM gives NaN);
 * bit-identical is counted too. Where an engine fails, the wrong rows are sorted by what they hold, so the
 * reason shows (ordinary rows wrong: the model kind; only rows with ±1e-35 or 0 inputs: zero handling; ...).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../../scripts/lib/paths";
import { decode, type ParityCase } from "../../../scripts/lib/parity-fixtures";
import { runExact } from "./child-process";
import type { Peer } from "./peers";

const ORDINARY_ROWS = 40; // generate.py's N_RANDOM_ROWS: the first rows are draws from the training distribution
const ROWS_DIR = path.join(REPO_ROOT, ".cache", "bench-peers", "parity-rows");

export interface Verdict {
  exact: boolean;
  bitIdentical: boolean;
  within1e6: boolean;
  wrongRows: number;
  rows: number;
  maxRelError: number;
  /** What the wrong rows hold, e.g. "12 ordinary, 4 with ±1e-35". */
  wrong: string;
}
export type Outcome = Verdict | { error: string };
export interface CaseResult {
  case: string;
  value: Outcome;
  raw?: Outcome;
}

function relError(actual: number, expected: number): number {
  if (Number.isNaN(expected) || Number.isNaN(actual))
    return Number.isNaN(expected) && Number.isNaN(actual) ? 0 : Infinity;
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.max(Math.abs(actual), Math.abs(expected));
}

function rowTags(row: number[], index: number): string[] {
  if (index < ORDINARY_ROWS) return ["ordinary"];
  const tags = [];
  if (row.some((v) => v !== 0 && Math.abs(v) <= 1.0000001e-35)) tags.push("±1e-35");
  if (row.some((v) => v === 0)) tags.push("0");
  if (row.some((v) => Number.isNaN(v))) tags.push("NaN");
  if (row.some((v) => Math.abs(v) >= 1e38)) tags.push("huge/inf");
  return tags.length > 0 ? tags : ["other edge"];
}

function judge(c: ParityCase, rows: number[][], output: "value" | "raw", actual: Float64Array): Verdict {
  const expected = c.predictions.find(
    (p) => p.output === output && p.start_iteration === 0 && p.num_iteration === null,
  )!;
  const width = expected.values[0].length;
  let maxRelError = 0;
  let bitIdentical = true;
  const tags = new Map<string, number>();
  let wrongRows = 0;
  expected.values.forEach((want, r) => {
    let rowWrong = false;
    want.forEach((e, k) => {
      const a = actual[r * width + k];
      const err = relError(a, decode(e));
      maxRelError = Math.max(maxRelError, err);
      if (!Object.is(a, decode(e)) && !(Number.isNaN(a) && Number.isNaN(decode(e)))) bitIdentical = false;
      if (err > 1e-12) rowWrong = true;
    });
    if (!rowWrong) return;
    wrongRows++;
    for (const t of rowTags(rows[r], r)) tags.set(t, (tags.get(t) ?? 0) + 1);
  });
  // Ordinary rows first: when they are wrong, the engine gets the kind of model wrong, whatever the inputs.
  const wrong = [...tags]
    .sort((a, b) => Number(b[0] === "ordinary") - Number(a[0] === "ordinary") || b[1] - a[1])
    .map(([t, n]) => (t === "ordinary" ? `${n}/${ORDINARY_ROWS} ordinary` : `${n} with ${t}`));
  return {
    exact: wrongRows === 0,
    bitIdentical,
    within1e6: maxRelError <= 1e-6,
    wrongRows,
    rows: rows.length,
    maxRelError,
    wrong: wrong.join(", "),
  };
}

function attempt(run: () => Verdict): Outcome {
  try {
    return run();
  } catch (error) {
    const e = error as Error & { stderr?: Buffer };
    return {
      error: (e.stderr?.toString().trim() || e.message).split("\n").slice(-2).join(" ").slice(0, 300),
    };
  }
}

/** The parity matrix's cases come from scripts/lib/parity-fixtures.ts's parityFixtures(). */
export function exactness(peer: Peer, cases: readonly ParityCase[]): CaseResult[] {
  fs.mkdirSync(ROWS_DIR, { recursive: true });
  const models = cases.map((c) => path.join(c.dir, c.model));
  const prepared = peer.prepare(models, false);
  const preparedRaw = peer.raw ? peer.prepare(models, true) : [];
  return cases.map((c, i) => {
    const rows = c.rows.map((r) => r.map(decode));
    const rowsFile = path.join(ROWS_DIR, `${c.name}.bin`);
    fs.writeFileSync(rowsFile, Float64Array.from(rows.flat()));
    const one = (output: "value" | "raw", p: (typeof prepared)[number]): Outcome => {
      if ("error" in p) return { error: p.error };
      const width = c.predictions.find((x) => x.output === output)!.values[0].length;
      return attempt(() =>
        judge(c, rows, output, runExact(peer, p.artifact, rowsFile, c.num_features, width, output === "raw")),
      );
    };
    return {
      case: c.name,
      value: one("value", prepared[i]),
      ...(peer.raw ? { raw: one("raw", preparedRaw[i]) } : {}),
    };
  });
}
