/**
 * One closed-loop job against one target, with what the server spent on it: CPU seconds of its process tree
 * (from /proc by pid) and RSS sampled every 100 ms, plus Jaeger's CPU when the target is traced locally.
 * Throughput and rows per request both run through here; the highest RSS seen is kept per target in the fleet.
 */
import { runClientJob } from "../client-process";
import type { Fleet } from "../fleet";
import type { LoadResult } from "../load";
import { sampleRss, treeCpuSeconds } from "../resources";
import type { ServerCost } from "../result";
import { round } from "../stats";
import { INFERENCE } from "./targets";

export interface ClosedJob {
  bodies: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  rowsPerRequest: number;
}

export interface ClosedRun {
  result: LoadResult;
  server: ServerCost | null;
  jaegerCpuS: number | null;
}

export async function runClosedJob(fleet: Fleet, id: string, job: ClosedJob): Promise<ClosedRun> {
  const t = fleet.get(id);
  const jaegerPid = fleet.jaeger?.pid ?? null;
  const cpu0 = t.pid !== null ? treeCpuSeconds(t.pid) : 0;
  const jaegerCpu0 = jaegerPid !== null ? treeCpuSeconds(jaegerPid) : 0;
  const rss = t.pid !== null ? sampleRss(t.pid) : null;
  const result = await runClientJob(
    {
      kind: "closed",
      url: t.url,
      path: INFERENCE,
      bodies: job.bodies,
      concurrency: job.concurrency,
      warmupMs: job.warmupMs,
      durationMs: job.durationMs,
    },
    t.clientCpus ?? undefined,
  );
  let server: ServerCost | null = null;
  if (t.pid !== null && rss !== null) {
    const cpuS = treeCpuSeconds(t.pid) - cpu0;
    const predictions = result.sentTotal * job.rowsPerRequest;
    server = {
      cpuS: round(cpuS, 4),
      requestsSent: result.sentTotal,
      predictions,
      cpuSPer1000Predictions: round((cpuS / predictions) * 1000, 4),
      predictionsPerCpuS: round(predictions / cpuS, 5),
      rss: rss.stop(),
    };
    fleet.peakKiB.set(id, Math.max(fleet.peakKiB.get(id) ?? 0, server.rss.peakKiB));
  }
  const jaegerCpuS =
    jaegerPid !== null && t.tracing ? round(treeCpuSeconds(jaegerPid) - jaegerCpu0, 4) : null;
  return { result, server, jaegerCpuS };
}
