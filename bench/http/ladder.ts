/**
 * The cost ladder (issue 8): from one run of the seed's protocol over every single-worker rung, the time per
 * call of each (median over samples of sample seconds / calls) and what it adds beyond the floor, so each layer's
 * cost can be read off: the floor (client and loopback), our parse → predict → serialize on node:http ("bare"),
 * our endpoint untraced and traced, the Go peer untraced and traced, FastAPI untraced and traced. The Go floor (the
 * peer's Fiber answering a constant) is the Go runtime's own floor: the Go rungs are also given beyond it, the Node
 * rungs beyond the node:http floor, so the work each endpoint adds can be told from what its runtime's HTTP stack
 * costs by itself.
 */
import type { Ladder, LadderRung } from "./result";
import type { SeedRun } from "./seed-protocol";
import { median, round } from "./stats";

/** Rung labels by target id (local ids, then the remote ones). */
const RUNGS: [id: string, label: string][] = [
  ["floor-1w", "floor (no-op node:http, busy polling as ours)"],
  ["go-floor-1w", "Go floor (no-op Fiber, Go's own spinning)"],
  ["bare-1w", "node:http + our parse → predict → serialize"],
  ["ts-1w-untraced", "our endpoint, untraced"],
  ["ts-1w-traced", "our endpoint, traced"],
  ["go-1w-untraced", "Go Fiber + leaves, untraced"],
  ["go-1w-traced", "Go Fiber + leaves, traced"],
  ["control-1w-untraced", "FastAPI control, untraced"],
  ["control-1w-traced", "FastAPI control, traced"],
  ["floor", "floor (no-op node:http, busy polling as ours)"],
  ["ts", "our endpoint, as deployed"],
  ["go", "Go Fiber + leaves, as deployed"],
  ["control", "FastAPI control, as deployed"],
];

/** The ratios the ladder table prints: numerator rung, denominator rung. */
const RATIOS: [name: string, over: string, under: string][] = [
  ["ours/Go untraced", "ts-1w-untraced", "go-1w-untraced"],
  ["ours/Go traced", "ts-1w-traced", "go-1w-traced"],
  ["FastAPI/ours traced", "control-1w-traced", "ts-1w-traced"],
  ["FastAPI/Go traced", "control-1w-traced", "go-1w-traced"],
  ["node:http floor/Go floor", "floor-1w", "go-floor-1w"],
  ["ours/Go", "ts", "go"],
  ["FastAPI/ours", "control", "ts"],
  ["FastAPI/Go", "control", "go"],
];

export function costLadder(run: SeedRun): Ladder {
  const perCallUs = (id: string) => (median(run.seconds[id]) / run.calls) * 1e6;
  const present = RUNGS.filter(([id]) => run.seconds[id]?.length);
  const floorId = present.find(([id]) => id.startsWith("floor"))?.[0];
  const floorUs = floorId ? perCallUs(floorId) : NaN;
  /** The floor of the rung's own runtime: node:http for ours, Fiber for Go's; none measured for Python. */
  const ownFloorUs = (id: string): number | null => {
    const own =
      id === "go" || id.startsWith("go-") ? "go-floor-1w" : id.startsWith("control") ? null : floorId;
    return own === null || own === undefined || own === id || !run.seconds[own]?.length
      ? null
      : round(perCallUs(id) - perCallUs(own), 5);
  };
  const rungs: LadderRung[] = present.map(([id, label]) => ({
    rung: label,
    target: id,
    perCallUs: round(perCallUs(id), 5),
    beyondFloorUs: round(perCallUs(id) - floorUs, 5),
    beyondOwnFloorUs: ownFloorUs(id),
    errors: run.errors[id] ?? 0,
  }));
  const us = new Map(rungs.map((r) => [r.target, r.perCallUs]));
  const ratios: Ladder["ratios"] = {};
  for (const [name, over, under] of RATIOS) {
    if (!us.has(over) && !us.has(under)) continue;
    const a = us.get(over);
    const b = us.get(under);
    ratios[name] = a !== undefined && b !== undefined ? round(a / b, 4) : null;
  }
  return {
    variant: run.variant,
    calls: run.calls,
    samples: Object.values(run.seconds)[0]?.length ?? 0,
    rungs,
    ratios,
  };
}
