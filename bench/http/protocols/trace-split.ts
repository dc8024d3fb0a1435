/**
 * The time split from Jaeger as a phase: traced requests each carrying their own `traceparent`, sent to each
 * traced single-worker endpoint, then matched to their spans by trace id (see ../trace-split.ts).
 */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import type { Profile } from "../profiles";
import type { BenchResult } from "../result";
import { traceSplit } from "../trace-split";
import { singleRowJob, tracedEndpoints } from "./targets";

export async function runTraceSplit(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<BenchResult["traceSplit"]> {
  const split: BenchResult["traceSplit"] = {};
  const ids = tracedEndpoints(fleet);
  if (!fleet.jaegerQueryUrl || ids.length === 0) {
    fleet.notes.push("time split skipped: no Jaeger query URL (set JAEGER_QUERY_URL)");
    return split;
  }
  log(`time split: ${profile.traceSplit.requests} traced requests per endpoint`);
  await fleet.quiet();
  // The window starts with these requests: the endpoints' earlier traced requests (the seed and latency phases)
  // would otherwise share it and could push some of these out of a search limited to so many traces.
  const windowStart = new Date(Date.now() - 100);
  const traced = await runClientJob(
    {
      kind: "sequential",
      ...singleRowJob(fleet, ids),
      requestsPerTarget: profile.traceSplit.requests,
      blockSize: profile.latency.block,
      warmupPerTarget: 0,
      traceparent: true,
    },
    fleet.sequentialCpus,
  );
  const window = { start: windowStart, end: new Date(Date.now() + 60_000) };
  for (const id of ids) {
    const service = fleet.get(id).serviceName;
    if (!service) continue;
    try {
      const result = await traceSplit(
        fleet.jaegerQueryUrl,
        service,
        traced.traceIds[id],
        traced.latenciesMs[id],
        window,
      );
      split[id] = { target: id, ...result };
      log(`  ${id}: ${result.matched}/${result.requests} traces matched`);
    } catch (error) {
      fleet.notes.push(`time split for ${id} failed: ${(error as Error).message}`);
    }
  }
  return split;
}
