/**
 * The shape of one benchmark run's JSON (bench/results/<timestamp>.json): settings, machine, versions, every
 * sample of every protocol, and the summary figures. Tables, plots and the notebook read only this.
 */
import type { MachineInfo } from "../machine";
import type { LoadResult } from "./load";
import type { Profile } from "./profiles";
import type { SeedRun, SeedSummary } from "./seed-protocol";
import type { LatencySummary } from "./stats";
import type { Role, TargetConfig } from "./targets";
import type { TraceSplit } from "./trace-split";

export interface ServerCost {
  /** CPU seconds of the server's process tree over the whole job (warm-up included). */
  cpuS: number;
  /** Requests the job sent, warm-up included; cpuS is divided by this. */
  requestsSent: number;
  predictions: number;
  cpuSPer1000Predictions: number;
  predictionsPerCpuS: number;
  rss: { peakKiB: number; meanKiB: number; samples: number };
}

export interface LoadRun {
  target: string;
  concurrency: number;
  result: LoadResult;
  server: ServerCost | null;
  /** CPU seconds Jaeger used during the job (span ingestion), when traced locally. */
  jaegerCpuS: number | null;
}

export interface RowsRun {
  target: string;
  rows: number;
  concurrency: number;
  result: LoadResult;
  predictionsPerS: number;
  server: ServerCost | null;
}

export interface OpenLoopRun {
  target: string;
  fraction: number;
  ratePerSecond: number;
  result: LoadResult;
}

export interface MemoryRecord {
  target: string;
  processes: number;
  /** Right after /ready answered. */
  startupKiB: number;
  /** At rest after the sequential phases, before the load runs. */
  restKiB: number;
  /** Highest sampled RSS during the load and rows runs. */
  peakKiB: number;
  /** Sum of each process's VmHWM at the end (its own peak). */
  hwmKiB: number;
}

/** One rung of the cost ladder: per-call time of the seed protocol (median sample / calls). */
export interface LadderRung {
  rung: string;
  target: string;
  /** Median over samples of the sample's seconds / calls, in µs. */
  perCallUs: number;
  beyondFloorUs: number;
  /** Beyond the floor of the rung's own runtime (node:http, or Fiber for the Go rungs); null for the floors and FastAPI. */
  beyondOwnFloorUs: number | null;
  errors: number;
}

export interface Ladder {
  variant: "keepalive" | "fresh";
  /** The servers' CPU was kept busy at idle priority during this run (busy-cpu.ts): no idle wake-ups. */
  serverCpuBusy?: boolean;
  calls: number;
  samples: number;
  rungs: LadderRung[];
  /** Named ratios of per-call medians (e.g. "ts/go untraced"); null where a side is missing. */
  ratios: Record<string, number | null>;
}

/** Closed-loop throughput with all cores against one worker, per role, at one concurrency. */
export interface Scaling {
  concurrency: number;
  note: string;
  rows: { role: Role; oneWorkerRps: number | null; allCoresRps: number | null; scaling: number | null }[];
  /** ts all cores / go all cores, and ts one worker / go one worker. */
  tsOverGo: { oneWorker: number | null; allCores: number | null };
}

export interface TracingCost {
  role: Role;
  untraced: string;
  traced: string;
  p50Pct: number;
  p99Pct: number;
}

export interface BenchResult {
  schema: 2;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  profile: Profile;
  settings: {
    targets: string;
    mode: "local" | "remote";
    cores: number;
    pinning: { serverCpus: string; clientCpus: string } | null;
    path: string;
    inputs: string;
    model: string;
    jaegerQueryUrl: string | null;
    loadAverage: { start: number[]; end: number[] };
  };
  machine: MachineInfo;
  versions: Record<string, string | null>;
  targets: (TargetConfig & { url: string; pid: number | null; processes: number | null })[];
  /** Roles left out of this run, with the reason (e.g. the Go peer where Go is missing). */
  skipped: { role: Role; reason: string }[];
  sanity: {
    targets: string[];
    rows: number;
    /** ts against control. */
    maxAbsDiff: number | null;
    agree: boolean | null;
    /** The Go peer (leaves) against ts, when it ran. */
    goMaxAbsDiff: number | null;
  };
  seed: { runs: SeedRun[]; summaries: (SeedSummary & { pair: string })[] };
  ladder: Ladder[];
  latency: {
    clientCpus: string | null;
    latenciesMs: Record<string, number[]>;
    summary: Record<string, LatencySummary & { errors: number }>;
    tracingCost: TracingCost[];
  };
  traceSplit: Record<string, TraceSplit & { target: string }>;
  load: LoadRun[];
  rows: RowsRun[];
  openLoop: OpenLoopRun[];
  scaling: Scaling | null;
  memory: MemoryRecord[];
  summary: Record<string, unknown>;
  notes: string[];
}
