/** Summary statistics over samples: percentiles (nearest rank), mean, median, and a log-spaced histogram. */

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  // Nearest rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
}

export function summarize(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    meanMs: mean(sorted),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    minMs: sorted.length ? sorted[0] : NaN,
  };
}

/**
 * Load runs produce up to hundreds of thousands of latencies: the JSON keeps their percentiles and this
 * histogram (20 buckets per decade from 10 µs to 10 s) rather than every value, which is enough to plot the
 * distribution. `counts[i]` counts latencies in [edgesMs[i], edgesMs[i+1]).
 */
export interface Histogram {
  edgesMs: number[];
  counts: number[];
}

const HIST_MIN_MS = 0.01;
const BUCKETS_PER_DECADE = 20;
const DECADES = 6;

export function histogram(latenciesMs: readonly number[]): Histogram {
  const n = BUCKETS_PER_DECADE * DECADES;
  const edgesMs = Array.from({ length: n + 1 }, (_, i) => HIST_MIN_MS * 10 ** (i / BUCKETS_PER_DECADE));
  const counts = new Array<number>(n).fill(0);
  for (const v of latenciesMs) {
    const i = Math.floor(Math.log10(Math.max(v, HIST_MIN_MS) / HIST_MIN_MS) * BUCKETS_PER_DECADE);
    counts[Math.min(n - 1, Math.max(0, i))]++;
  }
  // Trim empty buckets at both ends so the JSON stays small.
  const first = counts.findIndex((c) => c > 0);
  if (first < 0) return { edgesMs: [], counts: [] };
  let last = n - 1;
  while (counts[last] === 0) last--;
  return { edgesMs: edgesMs.slice(first, last + 2), counts: counts.slice(first, last + 1) };
}

/** Rounds to `digits` significant digits, to keep the JSON readable without losing anything that matters. */
export function round(value: number, digits = 6): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
