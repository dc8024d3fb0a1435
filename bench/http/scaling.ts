/**
 * Multi-core scaling (issue 8): closed-loop throughput of each endpoint with all cores (WORKERS=all for ours,
 * GOMAXPROCS unset for Go, uvicorn workers = cores for FastAPI) against one pinned worker, at concurrency 32 (or
 * the profile's nearest level), untraced.
 */
import { ENDPOINT_ROLES } from "./fleet";
import type { LoadRun, Scaling } from "./result";
import { round } from "./stats";

/** The profile's load level nearest to 32, the one the summary and the scaling table use. */
export function summaryConcurrency(levels: number[]): number | null {
  if (levels.length === 0) return null;
  return levels.reduce((best, l) => (Math.abs(l - 32) < Math.abs(best - 32) ? l : best), levels[0]);
}

export function scaling(load: LoadRun[], levels: number[], cores: number): Scaling | null {
  const concurrency = summaryConcurrency(levels);
  if (concurrency === null || !load.some((r) => r.target.includes("-all"))) return null;
  const rps = (id: string) =>
    load.find((r) => r.target === id && r.concurrency === concurrency)?.result.throughputRps ?? null;
  const ratio = (a: number | null, b: number | null) =>
    a !== null && b !== null && b > 0 ? round(a / b, 4) : null;
  const rows = ENDPOINT_ROLES.map((role) => {
    const oneWorkerRps = rps(`${role}-1w-untraced`);
    const allCoresRps = rps(`${role}-all-untraced`);
    return { role, oneWorkerRps, allCoresRps, scaling: ratio(allCoresRps, oneWorkerRps) };
  }).filter((r) => r.oneWorkerRps !== null || r.allCoresRps !== null);
  const of = (role: string) => rows.find((r) => r.role === role);
  return {
    concurrency,
    note:
      cores <= 2
        ? `${cores} cores: the one-worker servers run pinned to CPU 0 with the client on CPU 1; the all-cores servers ` +
          "and the client are unpinned and share both cores, so the client's own CPU use takes from the servers " +
          "(see the client CPU column and the floor's all-cores throughput)"
        : `${cores} cores: one-worker servers pinned to CPU 0, client on CPU 1; all-cores servers pinned to CPUs ` +
          `0-${cores - 2} (one worker per core), their client to CPU ${cores - 1}`,
    rows,
    tsOverGo: {
      oneWorker: ratio(of("ts")?.oneWorkerRps ?? null, of("go")?.oneWorkerRps ?? null),
      allCores: ratio(of("ts")?.allCoresRps ?? null, of("go")?.allCoresRps ?? null),
    },
  };
}
