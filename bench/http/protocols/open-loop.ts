/**
 * Open loop: the same offered rate to every endpoint, latency measured from the scheduled send time. The rates
 * are fractions of the control's error-free single-worker peak from the throughput phase.
 */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import { singleRowBodies } from "../inputs";
import type { Profile } from "../profiles";
import type { LoadRun, OpenLoopRun } from "../result";
import { INFERENCE, untracedEndpoints } from "./targets";

export async function runOpenLoop(
  fleet: Fleet,
  profile: Profile,
  load: LoadRun[],
  log: (m: string) => void,
): Promise<OpenLoopRun[]> {
  const control = fleet.one("control", false);
  const controlPeak = Math.max(
    0,
    ...load.filter((r) => r.target === control && r.result.errors === 0).map((r) => r.result.throughputRps),
  );
  if (controlPeak === 0) {
    fleet.notes.push("open loop skipped: no error-free control throughput to set the rate from");
    return [];
  }
  const runs: OpenLoopRun[] = [];
  for (const fraction of profile.openLoop.fractions) {
    const rate = Math.max(1, Math.round(controlPeak * fraction));
    for (const { id } of untracedEndpoints(fleet)) {
      const t = fleet.get(id);
      await fleet.quiet();
      log(`open loop: ${id} at ${rate} requests/s`);
      const result = await runClientJob(
        {
          kind: "open",
          url: t.url,
          path: INFERENCE,
          bodies: singleRowBodies(),
          ratePerSecond: rate,
          warmupMs: profile.openLoop.warmupMs,
          durationMs: profile.openLoop.durationMs,
        },
        t.clientCpus ?? undefined,
      );
      runs.push({ target: id, fraction, ratePerSecond: rate, result });
    }
  }
  return runs;
}
