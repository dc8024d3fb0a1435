/**
 * The seed's protocol as a phase: fresh connections, then keep-alive, over every single-worker target at once
 * (interleaved by the client, see seed-protocol.ts); the seed's pair figures (control vs ts) and the cost ladder
 * come from the same samples.
 */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import { costLadder } from "../ladder";
import type { Profile } from "../profiles";
import type { BenchResult } from "../result";
import { summarizeSeed, type SeedRun } from "../seed-protocol";
import { singleRowJob, sequentialIds, tsControlPairs } from "./targets";

export async function runSeedPhase(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<Pick<BenchResult, "seed" | "ladder">> {
  const runs: SeedRun[] = [];
  const summaries: BenchResult["seed"]["summaries"] = [];
  const floor = fleet.one("floor")!;
  for (const variant of ["fresh", "keepalive"] as const) {
    log(`seed protocol (${variant}): ${profile.seed.samples} samples x ${profile.seed.calls} calls`);
    await fleet.quiet();
    const run = await runClientJob(
      {
        kind: "seed",
        ...singleRowJob(fleet, sequentialIds(fleet)),
        samples: profile.seed.samples,
        calls: profile.seed.calls,
        variant,
      },
      fleet.sequentialCpus,
    );
    runs.push(run);
    for (const p of tsControlPairs(fleet))
      summaries.push({ pair: p.pair, ...summarizeSeed(run, p.ts, p.control, floor) });
  }
  return { seed: { runs, summaries }, ladder: runs.map(costLadder).reverse() };
}
