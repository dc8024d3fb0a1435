/** Rows per request: predictions per second and per server CPU-second, batches of each size, closed loop. */
import type { Fleet } from "../fleet";
import { batchBody } from "../inputs";
import type { Profile } from "../profiles";
import type { RowsRun } from "../result";
import { round } from "../stats";
import { runClosedJob } from "./closed-job";
import { untracedEndpoints } from "./targets";

export async function runRowsPerRequest(
  fleet: Fleet,
  profile: Profile,
  log: (m: string) => void,
): Promise<RowsRun[]> {
  const ids = [fleet.one("floor")!, ...untracedEndpoints(fleet).map((e) => e.id)];
  const runs: RowsRun[] = [];
  for (const rows of profile.rows.sizes) {
    const body = batchBody(rows);
    for (const id of ids) {
      await fleet.quiet();
      log(`rows: ${id} with ${rows} rows per request`);
      const { result, server } = await runClosedJob(fleet, id, {
        bodies: [body],
        concurrency: profile.rows.concurrency,
        warmupMs: profile.rows.warmupMs,
        durationMs: profile.rows.durationMs,
        rowsPerRequest: rows,
      });
      runs.push({
        target: id,
        rows,
        concurrency: profile.rows.concurrency,
        result,
        predictionsPerS: round(result.throughputRps * rows, 5),
        server,
      });
    }
  }
  return runs;
}
