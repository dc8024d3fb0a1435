/**
 * How much of everything a run does. "full" is the real protocol (the seed's 50 × 100 calls, ~10 s per
 * concurrency level; about 15 minutes on 2 cores), "quick" a few minutes for a look, "tiny" under a minute
 * of measuring for CI (the figures are noise; only the shape of the results is checked), "seed" only the cost
 * ladder: the seed's protocol (50 × 100 calls, fresh and keep-alive, and keep-alive with the servers' CPU kept
 * busy) over every single-worker rung, in a few minutes.
 */
export type ProfileName = "full" | "quick" | "tiny" | "seed";

export const PROFILE_NAMES: readonly ProfileName[] = ["full", "quick", "tiny", "seed"];

export interface Profile {
  name: ProfileName;
  /** Only the seed protocol (the cost ladder): no latency, time split, load, rows or open loop phases. */
  seedOnly: boolean;
  /** Also run the servers with all cores (with more than one core). */
  allCores: boolean;
  /** Also run the all-cores servers with tracing on (two more server pairs; "tiny" leaves them out for time). */
  allCoresTraced: boolean;
  seed: { samples: number; calls: number };
  /** Sequential single-row latency, tracing on vs off. */
  latency: { requests: number; block: number; warmup: number };
  traceSplit: { requests: number };
  load: { levels: number[]; warmupMs: number; durationMs: number };
  rows: { sizes: number[]; concurrency: number; warmupMs: number; durationMs: number };
  /** Open-loop rates as fractions of the control's single-worker capacity, the same rate for every endpoint. */
  openLoop: { fractions: number[]; warmupMs: number; durationMs: number };
}

export const PROFILES: Record<ProfileName, Profile> = {
  full: {
    name: "full",
    seedOnly: false,
    allCores: true,
    allCoresTraced: true,
    seed: { samples: 50, calls: 100 },
    latency: { requests: 2000, block: 100, warmup: 200 },
    traceSplit: { requests: 1000 },
    load: { levels: [1, 4, 16, 32, 64], warmupMs: 1000, durationMs: 10_000 },
    rows: { sizes: [1, 10, 100, 400, 1000], concurrency: 4, warmupMs: 1000, durationMs: 8000 },
    openLoop: { fractions: [0.5, 0.8], warmupMs: 1000, durationMs: 10_000 },
  },
  quick: {
    name: "quick",
    seedOnly: false,
    allCores: true,
    allCoresTraced: true,
    seed: { samples: 10, calls: 100 },
    latency: { requests: 500, block: 50, warmup: 100 },
    traceSplit: { requests: 300 },
    load: { levels: [1, 4, 16, 32, 64], warmupMs: 500, durationMs: 2500 },
    rows: { sizes: [1, 10, 100, 400, 1000], concurrency: 4, warmupMs: 500, durationMs: 2000 },
    openLoop: { fractions: [0.5, 0.8], warmupMs: 500, durationMs: 3000 },
  },
  tiny: {
    name: "tiny",
    seedOnly: false,
    allCores: true,
    allCoresTraced: false,
    seed: { samples: 3, calls: 10 },
    latency: { requests: 40, block: 10, warmup: 10 },
    traceSplit: { requests: 30 },
    load: { levels: [32], warmupMs: 200, durationMs: 800 },
    rows: { sizes: [1, 100], concurrency: 4, warmupMs: 200, durationMs: 600 },
    openLoop: { fractions: [0.5], warmupMs: 200, durationMs: 800 },
  },
  seed: {
    name: "seed",
    seedOnly: true,
    allCores: false,
    allCoresTraced: false,
    seed: { samples: 50, calls: 100 },
    latency: { requests: 0, block: 1, warmup: 0 },
    traceSplit: { requests: 0 },
    load: { levels: [], warmupMs: 0, durationMs: 0 },
    rows: { sizes: [], concurrency: 1, warmupMs: 0, durationMs: 0 },
    openLoop: { fractions: [], warmupMs: 0, durationMs: 0 },
  },
};
