/**
 * Sequential single-request latency: one request at a time on a keep-alive connection, targets interleaved
 * in blocks, every latency kept. Used for tracing on vs off (the difference is small, so every sample and the
 * interleaving matter) and for the Jaeger time split.
 *
 * With `traceparent`, each request carries a W3C `traceparent` header with a fresh random trace id: the
 * server's span joins that trace, so every client latency is matched to exactly its own server and model
 * spans by trace id, with no guessing by order or time.
 */
import { randomBytes } from "node:crypto";
import { createClient } from "./client";
import { round } from "./stats";

export interface SequentialJob {
  kind: "sequential";
  targets: { name: string; url: string }[];
  path: string;
  bodies: string[];
  requestsPerTarget: number;
  blockSize: number;
  warmupPerTarget: number;
  traceparent: boolean;
}

export interface SequentialRun {
  latenciesMs: Record<string, number[]>;
  /** Trace id of each request (same order as latenciesMs), when `traceparent` was sent. */
  traceIds: Record<string, string[]>;
  errors: Record<string, number>;
  errorSamples: string[];
  clientCpuS: number;
  wallS: number;
}

export async function runSequential(job: SequentialJob): Promise<SequentialRun> {
  const run: SequentialRun = {
    latenciesMs: {},
    traceIds: {},
    errors: {},
    errorSamples: [],
    clientCpuS: 0,
    wallS: 0,
  };
  const clients = new Map(job.targets.map((t) => [t.name, createClient(t.url, "keepalive")]));
  for (const t of job.targets) {
    run.latenciesMs[t.name] = [];
    run.traceIds[t.name] = [];
    run.errors[t.name] = 0;
  }
  let next = 0;
  const call = async (name: string, record: boolean): Promise<void> => {
    const headers: Record<string, string> = {};
    let traceId = "";
    if (job.traceparent) {
      traceId = randomBytes(16).toString("hex");
      headers.traceparent = `00-${traceId}-${randomBytes(8).toString("hex")}-01`;
    }
    const body = job.bodies[next++ % job.bodies.length];
    const t0 = process.hrtime.bigint();
    const result = await clients.get(name)!.post(job.path, body, headers);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!record) return;
    if (!result.ok) {
      run.errors[name]++;
      if (run.errorSamples.length < 5)
        run.errorSamples.push(`${name}: ${result.error ?? `HTTP ${result.status}`}`);
      return;
    }
    run.latenciesMs[name].push(round(ms, 6));
    if (job.traceparent) run.traceIds[name].push(traceId);
  };

  for (const t of job.targets) for (let i = 0; i < job.warmupPerTarget; i++) await call(t.name, false);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let done = 0; done < job.requestsPerTarget; done += job.blockSize) {
    const block = Math.min(job.blockSize, job.requestsPerTarget - done);
    for (const t of job.targets) for (let i = 0; i < block; i++) await call(t.name, true);
  }
  const cpu = process.cpuUsage(cpu0);
  run.clientCpuS = round((cpu.user + cpu.system) / 1e6);
  run.wallS = round(Number(process.hrtime.bigint() - wall0) / 1e9);
  for (const client of clients.values()) client.close();
  return run;
}
