/**
 * The seed's protocol as a phase: fresh connections, then keep-alive, over every single-worker target at once
 * (interleaved by the client, see seed-protocol.ts); the seed's pair figures (control vs ts) and the cost ladder
 * come from the same samples. Then, where the servers are pinned, keep-alive once more with the servers' CPU kept
 * busy at idle priority (busy-cpu.ts), a third ladder without the cost of waking an idle CPU between calls.
 */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import { costLadder } from "../ladder";
import type { Profile } from "../profiles";
import type { BenchResult } from "../result";
import { summarizeSeed, type SeedRun } from "../seed-protocol";
import { keepCpusBusy } from "../busy-cpu";
import { SERVER_CPUS } from "../fleet";
import { singleRowJob, sequentialIds, tsControlPairs } from "./targets";

export async function runSeedPhase(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<Pick<BenchResult, "seed" | "ladder">> {
  const runs: SeedRun[] = [];
  const summaries: BenchResult["seed"]["summaries"] = [];
  const floor = fleet.one("floor")!;
  const job = (variant: SeedRun["variant"]) =>
    runClientJob(
      {
        kind: "seed",
        ...singleRowJob(fleet, sequentialIds(fleet)),
        samples: profile.seed.samples,
        calls: profile.seed.calls,
        variant,
      },
      fleet.sequentialCpus,
    );
  for (const variant of ["fresh", "keepalive"] as const) {
    log(`seed protocol (${variant}): ${profile.seed.samples} samples x ${profile.seed.calls} calls`);
    await fleet.quiet();
    const run = await job(variant);
    runs.push(run);
    for (const p of tsControlPairs(fleet))
      summaries.push({ pair: p.pair, ...summarizeSeed(run, p.ts, p.control, floor) });
  }
  const ladder = runs.map(costLadder).reverse();
  if (fleet.sequentialCpus !== undefined) {
    log("seed protocol (keepalive, the servers' CPU kept busy at idle priority)");
    await fleet.quiet();
    const stop = keepCpusBusy(SERVER_CPUS);
    try {
      ladder.push({ ...costLadder(await job("keepalive")), serverCpuBusy: true });
    } finally {
      stop();
    }
  }
  return { seed: { runs, summaries }, ladder };
}
