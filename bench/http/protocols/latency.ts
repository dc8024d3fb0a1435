/** Sequential single-row latency over every single-worker target, tracing on against off, every latency kept. */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import type { Profile } from "../profiles";
import type { BenchResult, TracingCost } from "../result";
import { round, summarize, type LatencySummary } from "../stats";
import { singleRowJob, sequentialIds } from "./targets";
import { ENDPOINT_ROLES } from "../fleet";

export async function runLatency(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<BenchResult["latency"]> {
  log(`sequential latency: ${profile.latency.requests} requests per target`);
  await fleet.quiet();
  const seq = await runClientJob(
    {
      kind: "sequential",
      ...singleRowJob(fleet, sequentialIds(fleet)),
      requestsPerTarget: profile.latency.requests,
      blockSize: profile.latency.block,
      warmupPerTarget: profile.latency.warmup,
      traceparent: false,
    },
    fleet.sequentialCpus,
  );
  const summary: BenchResult["latency"]["summary"] = {};
  for (const [id, values] of Object.entries(seq.latenciesMs)) {
    const s = summarize(values);
    for (const key of Object.keys(s) as (keyof LatencySummary)[]) s[key] = round(s[key], 5);
    summary[id] = { ...s, errors: seq.errors[id] };
  }
  const tracingCost: TracingCost[] = [];
  for (const role of fleet.local ? ENDPOINT_ROLES : []) {
    const untraced = fleet.one(role, false);
    const traced = fleet.one(role, true);
    if (!untraced || !traced) continue;
    const off = summary[untraced];
    const on = summary[traced];
    tracingCost.push({
      role,
      untraced,
      traced,
      p50Pct: round((100 * (on.p50Ms - off.p50Ms)) / off.p50Ms, 4),
      p99Pct: round((100 * (on.p99Ms - off.p99Ms)) / off.p99Ms, 4),
    });
  }
  return { clientCpus: fleet.sequentialCpus ?? null, latenciesMs: seq.latenciesMs, summary, tracingCost };
}
