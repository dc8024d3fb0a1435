/** The handful of figures people ask for first, and the checks on the load generator, from a run's result. */
import type { BenchResult, Ladder } from "./result";
import { summaryConcurrency } from "./scaling";

export function summarize(r: BenchResult): Record<string, unknown> {
  const c32 = summaryConcurrency(r.profile.load.levels);
  const throughputAt = (id: string) =>
    r.load.find((run) => run.target === id && run.concurrency === c32)?.result.throughputRps ?? null;
  const lat = (id: string) => r.latency.summary[id] ?? null;
  const local = r.settings.mode === "local";
  const tsOff = local ? "ts-1w-untraced" : "ts";
  const tsOn = "ts-1w-traced";
  const floor = local ? "floor-1w" : "floor";
  const seedErrors = r.seed.runs.reduce(
    (s, run) => s + Object.values(run.errors).reduce((a, b) => a + b, 0),
    0,
  );
  const errors =
    [...r.load, ...r.rows, ...r.openLoop].reduce((s, x) => s + x.result.errors, 0) +
    Object.values(r.latency.summary).reduce((s, x) => s + x.errors, 0) +
    seedErrors;
  const clientCores = [...r.load, ...r.rows].map((x) => x.result.clientCpuCores);
  const keepAlive = r.ladder.find((l) => l.variant === "keepalive" && !l.serverCpuBusy);
  const busy = r.ladder.find((l) => l.serverCpuBusy);
  return {
    tsLatencyAndThroughput: {
      concurrency: c32,
      untracedP50Ms: lat(tsOff)?.p50Ms ?? null,
      untracedP99Ms: lat(tsOff)?.p99Ms ?? null,
      tracedP50Ms: lat(tsOn)?.p50Ms ?? null,
      tracedP99Ms: lat(tsOn)?.p99Ms ?? null,
      tracingCostP50Pct: r.latency.tracingCost.find((t) => t.role === "ts")?.p50Pct ?? null,
      throughputOneWorkerRps: throughputAt(tsOff),
      throughputAllCoresRps: throughputAt("ts-all-untraced"),
      throughputOneWorkerTracedRps: throughputAt(tsOn),
      throughputAllCoresTracedRps: throughputAt("ts-all-traced"),
    },
    costLadderKeepAlive: ladderFigures(keepAlive),
    costLadderKeepAliveServerCpuBusy: ladderFigures(busy),
    multiCoreScaling: r.scaling,
    loadGenerator: {
      // The floor's throughput is what this client can drive at all; an endpoint well below it is not
      // limited by the client.
      floorThroughputRps: throughputAt(floor),
      floorAllThroughputRps: throughputAt("floor-all"),
      maxClientCpuCores: clientCores.length ? Math.max(...clientCores) : null,
      runsWithClientAbove90PctOfACore: [...r.load, ...r.rows]
        .filter((x) => x.result.clientCpuCores > 0.9)
        .map((x) => `${x.target}@${"rows" in x ? `${x.rows} rows` : `c${x.concurrency}`}`),
    },
    skipped: r.skipped,
    totalErrors: errors,
  };
}

function ladderFigures(
  ladder: Ladder | undefined,
): (Pick<Ladder, "ratios"> & { perCallUs: Record<string, number> }) | null {
  return ladder
    ? {
        perCallUs: Object.fromEntries(ladder.rungs.map((r) => [r.target, r.perCallUs])),
        ratios: ladder.ratios,
      }
    : null;
}
