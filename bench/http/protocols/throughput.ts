/** Closed-loop throughput and p50/p95/p99 at each concurrency level, every server configuration. */
import type { Fleet } from "../fleet";
import { singleRowBodies } from "../inputs";
import type { Profile } from "../profiles";
import { treeRssKiB } from "../resources";
import type { LoadRun } from "../result";
import { runClosedJob } from "./closed-job";

export async function runThroughput(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<LoadRun[]> {
  const runs: LoadRun[] = [];
  for (const concurrency of profile.load.levels) {
    for (const { id } of fleet.configs) {
      const t = fleet.get(id);
      await fleet.quiet();
      // At rest: after the sequential phases, before this target's first load run.
      if (t.pid !== null && !fleet.restKiB.has(id)) fleet.restKiB.set(id, treeRssKiB(t.pid));
      log(`load: ${id} at concurrency ${concurrency}`);
      const run = await runClosedJob(fleet, id, {
        bodies: singleRowBodies(),
        concurrency,
        warmupMs: profile.load.warmupMs,
        durationMs: profile.load.durationMs,
        rowsPerRequest: 1,
      });
      runs.push({ target: id, concurrency, ...run });
    }
  }
  return runs;
}
