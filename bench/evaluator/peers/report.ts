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

/** Refusals grouped by their message, then wrong cases with their count of wrong rows and what those hold. */
function failures(cases: CaseResult[]): string {
  const refused = new Map<string, string[]>();
  const wrong: string[] = [];
  for (const c of cases) {
    const v = c.value;
    if ("error" in v) {
      const why = v.error
        .replace(/'[^']{20,}'|\([^)]*\.py:\d+\)/g, "")
        .slice(0, 80)
        .trim();
      refused.set(why, [...(refused.get(why) ?? []), c.case]);
    } else if (!v.exact) {
      wrong.push(`${c.case} (${v.wrongRows}/${v.rows}: ${v.wrong.split(", ").slice(0, 2).join(", ")})`);
    }
  }
  const parts = [...refused].map(([why, names]) => `refuses ${names.join(", ")} (${why})`);
  if (wrong.length > 0) parts.push(`wrong on ${wrong.join(", ")}`);
  return parts.length > 0 ? parts.join("; ") : "—";
}

export function exactnessTable(results: ExactnessResult[], peers: readonly Peer[]): string[] {
  const label = (name: string) => peers.find((p) => p.name === name)?.label ?? name;
  return [
    "| engine | value exact (≤1e-12 rel.) | value bit-identical | value within 1e-6 | raw exact (bit-identical) | where it fails (wrong rows: what they hold) |",
    "|---|---:|---:|---:|---:|---|",
    ...results.map((r) => {
      if (r.skipped) return `| ${label(r.peer)} | skipped: ${r.skipped} | | | | |`;
      const cases = r.cases!;
      const rawBits = (c: CaseResult) => c.raw !== undefined && !("error" in c.raw) && c.raw.bitIdentical;
      const raw = cases.some((c) => c.raw)
        ? `${count(cases, (c) => isExact(c.raw))} (${count(cases, rawBits)})`
        : "no raw output";
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
    "| engine | single row µs | batch rows/s | time ÷ Booster.predict's: single, batch | prepare s | load ms | first call ms | full speed after ms | calls > 10 ms (longest ms) | RSS MiB |",
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
