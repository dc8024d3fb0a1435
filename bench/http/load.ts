/**
 * Load generators, run inside the client process (client-process.ts), never in the harness's own event loop.
 *
 * - closed loop: `concurrency` callers, each sending its next request as soon as the last one answered, on
 *   keep-alive connections. This measures capacity (throughput at each concurrency level, with errors). Its
 *   latencies are those of a client that slows down with the server, so they hide queueing (coordinated
 *   omission): read them as "latency at this concurrency", not as latency at a given rate.
 * - open loop: requests sent on a fixed schedule whatever the server does; each latency is measured from the
 *   time the request was due, so queueing shows up in the tail. This is the honest tail latency at a rate.
 *
 * Both report the client's own CPU use, so a run where the load generator was the limit can be recognised.
 */
import { createClient } from "./client";
import { histogram, round, summarize, type Histogram, type LatencySummary } from "./stats";

export interface ClosedLoopJob {
  kind: "closed";
  url: string;
  path: string;
  bodies: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface OpenLoopJob {
  kind: "open";
  url: string;
  path: string;
  bodies: string[];
  ratePerSecond: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  /** Requests answered inside the measured window (errors not included). */
  requests: number;
  /** Every request sent, warm-up included: the server's CPU delta over the whole job is divided by this. */
  sentTotal: number;
  errors: number;
  /** The first few error messages (status or socket error), to tell a refused port from a 500. */
  errorSamples: string[];
  durationS: number;
  throughputRps: number;
  latency: LatencySummary;
  histogram: Histogram;
  /** CPU seconds the client process used during the measured window, and as a fraction of one core. */
  clientCpuS: number;
  clientCpuCores: number;
}

const now = () => process.hrtime.bigint();

function clientCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function finish(
  sentTotal: number,
  latencies: number[],
  errors: number,
  errorSamples: string[],
  windowStart: bigint,
  windowEnd: bigint,
  cpuStart: number,
): LoadResult {
  const durationS = Number(windowEnd - windowStart) / 1e9;
  const clientCpuS = clientCpuSeconds() - cpuStart;
  return {
    requests: latencies.length,
    sentTotal,
    errors,
    errorSamples,
    durationS: round(durationS),
    throughputRps: round(latencies.length / durationS),
    latency: roundSummary(summarize(latencies)),
    histogram: histogram(latencies),
    clientCpuS: round(clientCpuS),
    clientCpuCores: round(clientCpuS / durationS, 3),
  };
}

function roundSummary(s: LatencySummary): LatencySummary {
  const out = { ...s };
  for (const key of Object.keys(out) as (keyof LatencySummary)[]) out[key] = round(out[key], 5);
  return out;
}

export async function closedLoop(job: ClosedLoopJob): Promise<LoadResult> {
  const client = createClient(job.url, "keepalive", job.concurrency);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const start = now();
  const windowStart = start + BigInt(job.warmupMs) * 1_000_000n;
  const windowEnd = windowStart + BigInt(job.durationMs) * 1_000_000n;
  let cpuStart = NaN;
  let lastDone = windowStart;
  let next = 0;
  let sentTotal = 0;

  const caller = async (): Promise<void> => {
    while (true) {
      const t0 = now();
      if (t0 >= windowEnd) return;
      const body = job.bodies[next++ % job.bodies.length];
      const result = await client.post(job.path, body);
      const t1 = now();
      sentTotal++;
      // Only requests that started inside the window count, and the window ends with the last of them.
      if (t0 < windowStart) continue;
      if (Number.isNaN(cpuStart)) cpuStart = clientCpuSeconds();
      if (t1 > lastDone) lastDone = t1;
      if (result.ok) latencies.push(Number(t1 - t0) / 1e6);
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(result.error ?? `HTTP ${result.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, caller));
  client.close();
  return finish(sentTotal, latencies, errors, errorSamples, windowStart, lastDone, cpuStart);
}

export async function openLoop(job: OpenLoopJob): Promise<LoadResult> {
  // Plenty of connections: the schedule, not the pool, decides when a request goes out.
  const client = createClient(job.url, "keepalive", 512);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  const intervalNs = BigInt(Math.round(1e9 / job.ratePerSecond));
  const start = now();
  const windowStart = start + BigInt(job.warmupMs) * 1_000_000n;
  const windowEnd = windowStart + BigInt(job.durationMs) * 1_000_000n;
  let cpuStart = NaN;
  let lastDone = windowStart;
  let sent = 0;

  const send = (due: bigint, measured: boolean, body: string): Promise<void> =>
    client.post(job.path, body).then((result) => {
      if (!measured) return;
      const t1 = now();
      if (t1 > lastDone) lastDone = t1;
      // Latency from when the request was due, not from when the client got round to sending it.
      if (result.ok) latencies.push(Number(t1 - due) / 1e6);
      else {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(result.error ?? `HTTP ${result.status}`);
      }
    });

  while (true) {
    const due = start + BigInt(sent) * intervalNs;
    if (due >= windowEnd) break;
    const t = now();
    if (due > t) {
      // Sleep until close to the next due time; timers have about 1 ms granularity, so send what is due.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(due - t) / 1e6 - 1)));
      continue;
    }
    const measured = due >= windowStart;
    if (measured && Number.isNaN(cpuStart)) cpuStart = clientCpuSeconds();
    pending.push(send(due, measured, job.bodies[sent % job.bodies.length]));
    sent++;
  }
  await Promise.all(pending);
  client.close();
  return finish(sent, latencies, errors, errorSamples, windowStart, lastDone, cpuStart);
}
