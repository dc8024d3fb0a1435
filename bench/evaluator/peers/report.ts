/** The evaluator benchmark's Markdown tables: exactness on the parity matrix, speed per benchmark model. */
import type { CaseResult, Outcome } from "./exactness";
import type { Peer } from "./peers";
import type { SpeedSide } from "./speed";

export interface ExactnessResult {
  peer: string;
  skipped?: string;
  cases?: CaseResult[];
}

const isExact = (o: Outcome | undefined) => o !== undefined && !("error" in o) && o.exact;
const count = (cases: CaseResult[], ok: (c: CaseResult) => boolean) =>
  `${cases.filter(ok).length}/${cases.length}`;

function failures(cases: CaseResult[]): string {
  const lines = cases
    .filter((c) => !isExact(c.value))
    .map((c) => {
      const v = c.value;
      if ("error" in v) return `${c.case}: refused (${v.error})`;
      return `${c.case}: ${v.wrongRows}/${v.rows} rows wrong (${v.wrong})`;
    });
  return lines.length > 0 ? lines.join("; ") : "—";
}

export function exactnessTable(results: ExactnessResult[], peers: readonly Peer[]): string[] {
  const label = (name: string) => peers.find((p) => p.name === name)?.label ?? name;
  return [
    "| engine | value exact (≤1e-12 rel.) | value bit-identical | value within 1e-6 | raw exact | where it fails (wrong rows hold) |",
    "|---|---:|---:|---:|---:|---|",
    ...results.map((r) => {
      if (r.skipped) return `| ${label(r.peer)} | skipped: ${r.skipped} | | | | |`;
      const cases = r.cases!;
      const raw = cases.some((c) => c.raw) ? count(cases, (c) => isExact(c.raw)) : "no raw output";
      const bits = count(cases, (c) => !("error" in c.value) && c.value.bitIdentical);
      const near = count(cases, (c) => !("error" in c.value) && c.value.within1e6);
      return `| ${label(r.peer)} | ${count(cases, (c) => isExact(c.value))} | ${bits} | ${near} | ${raw} | ${failures(cases)} |`;
    }),
  ];
}

export function speedTable(
  sides: SpeedSide[],
  peers: readonly Peer[],
  skipped: { peer: string; why: string }[],
): string[] {
  const label = (name: string) => peers.find((p) => p.name === name)?.label ?? name;
  const lgbm = sides.find((s) => s.peer === "lightgbm-python")?.figures;
  const f1 = (x: number) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));
  return [
    "| engine | single row µs | batch rows/s | vs Booster.predict: single, batch | prepare s | load ms | first call ms | full speed after ms | calls > 10 ms (longest ms) | RSS MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...sides.map(({ peer, figures: f }) => {
      const ratios = lgbm
        ? `${(f.singleUs / lgbm.singleUs).toFixed(2)}, ${(lgbm.batchRowsPerS / f.batchRowsPerS).toFixed(2)}`
        : "—";
      const full = f.fullSpeedMs === null ? "not within the ramp" : f1(f.fullSpeedMs);
      return `| ${label(peer)} | ${f1(f.singleUs)} | ${Math.round(f.batchRowsPerS)} | ${ratios} | ${f.prepareS.toFixed(1)} | ${f1(f.loadMs)} | ${f1(f.firstCallMs)} | ${full} | ${f.pauses} (${f1(f.longestCallMs)}) | ${Math.round(f.rssMiB)} |`;
    }),
    ...skipped.map((s) => `| ${label(s.peer)} | skipped: ${s.why} | | | | | | | | |`),
  ];
}
