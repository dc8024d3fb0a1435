/**
 * The HTTP benchmark, orchestrated: starts (or finds) the servers, runs every protocol through the client
 * process, reads the servers' CPU and memory by pid, splits time from Jaeger, and returns one result object
 * with every sample. The CLI, the notebook (through the CLI) and the test all run this one implementation.
 *
 * Targets:
 * - "local": the floor, the TypeScript endpoint and the FastAPI control, each as one worker pinned to core 0
 *   (client on core 1) and with all cores (unpinned), tracing on and off, plus a private Jaeger (pinned to
 *   the client's core, so span ingestion does not land on the server's core).
 * - "compose": the stack of compose.yaml (ts :3000, control :8000, Jaeger :16686; override with
 *   TS_ENDPOINT_URL, FASTAPI_CONTROL_URL, JAEGER_QUERY_URL) and a local floor.
 * - URLs: "ts=http://...,control=http://..." (or two bare URLs, ts first), and a local floor.
 * For targets it did not start, the harness knows no pid: no memory or CPU figures, no tracing on/off.
 */
import { execFile, execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { machineInfo, type MachineInfo } from "../machine";
import { startJaeger, type Jaeger } from "../../scripts/lib/jaeger";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { createClient } from "./client";
import { runClientJob } from "./client-process";
import { batchBody, inputsGenerator, seedRows, singleRowBodies } from "./inputs";
import type { LoadResult } from "./load";
import { PROFILES, type Profile, type ProfileName } from "./profiles";
import { settle, sampleRss, treeCpuSeconds, treeHwmKiB, treeRssKiB, processTree } from "./resources";
import { summarizeSeed, type SeedRun, type SeedSummary } from "./seed-protocol";
import { round, summarize, type LatencySummary } from "./stats";
import {
  coreCount,
  remoteTarget,
  startLocalTarget,
  type Role,
  type Target,
  type TargetConfig,
} from "./targets";
import { traceSplit, type TraceSplit } from "./trace-split";

const INFERENCE = "/inference";
const SERVER_CPUS = "0";
const CLIENT_CPUS = "1";

export interface HarnessOptions {
  profile: ProfileName;
  /** "local", "compose", or a comma-separated list of URLs (optionally name=URL). */
  targets: string;
  log?: (message: string) => void;
}

export interface ServerCost {
  /** CPU seconds of the server's process tree over the whole job (warm-up included). */
  cpuS: number;
  /** Requests the job sent, warm-up included; cpuS is divided by this. */
  requestsSent: number;
  predictions: number;
  cpuSPer1000Predictions: number;
  predictionsPerCpuS: number;
  rss: { peakKiB: number; meanKiB: number; samples: number };
}

export interface LoadRun {
  target: string;
  concurrency: number;
  result: LoadResult;
  server: ServerCost | null;
  /** CPU seconds Jaeger used during the job (span ingestion), when traced locally. */
  jaegerCpuS: number | null;
}

export interface RowsRun {
  target: string;
  rows: number;
  concurrency: number;
  result: LoadResult;
  predictionsPerS: number;
  server: ServerCost | null;
}

export interface OpenLoopRun {
  target: string;
  fraction: number;
  ratePerSecond: number;
  result: LoadResult;
}

export interface MemoryRecord {
  target: string;
  processes: number;
  /** Right after /ready answered. */
  startupKiB: number;
  /** At rest after the sequential phases, before the load runs. */
  restKiB: number;
  /** Highest sampled RSS during the load and rows runs. */
  peakKiB: number;
  /** Sum of each process's VmHWM at the end (its own peak). */
  hwmKiB: number;
}

export interface BenchResult {
  schema: 1;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  profile: Profile;
  settings: {
    targets: string;
    mode: "local" | "remote";
    cores: number;
    pinning: { serverCpus: string; clientCpus: string } | null;
    path: string;
    inputs: string;
    model: string;
    jaegerQueryUrl: string | null;
    loadAverage: { start: number[]; end: number[] };
  };
  machine: MachineInfo;
  versions: Record<string, string | null>;
  targets: (TargetConfig & { url: string; pid: number | null; processes: number | null })[];
  sanity: { targets: string[]; rows: number; maxAbsDiff: number | null; agree: boolean | null };
  seed: { runs: SeedRun[]; summaries: (SeedSummary & { pair: string })[] };
  latency: {
    clientCpus: string | null;
    latenciesMs: Record<string, number[]>;
    summary: Record<string, LatencySummary & { errors: number }>;
    tracingCost: { role: Role; untraced: string; traced: string; p50Pct: number; p99Pct: number }[];
  };
  traceSplit: Record<string, TraceSplit & { target: string }>;
  load: LoadRun[];
  rows: RowsRun[];
  openLoop: OpenLoopRun[];
  memory: MemoryRecord[];
  summary: Record<string, unknown>;
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------------

/** The target configurations for a local run. */
function localConfigs(cores: number, allCoresTraced: boolean): TargetConfig[] {
  const pin = cores >= 2;
  const one = (id: string, role: Role, tracing: boolean | null): TargetConfig => ({
    id,
    role,
    tracing,
    workers: 1,
    serverCpus: pin ? SERVER_CPUS : null,
    clientCpus: pin ? CLIENT_CPUS : null,
  });
  const all = (id: string, role: Role, tracing: boolean | null): TargetConfig => ({
    id,
    role,
    tracing,
    workers: cores,
    serverCpus: null,
    clientCpus: null,
  });
  const configs: TargetConfig[] = [one("floor-1w", "floor", null)];
  for (const role of ["ts", "control"] as const) {
    configs.push(one(`${role}-1w-untraced`, role, false), one(`${role}-1w-traced`, role, true));
  }
  if (cores > 1) {
    configs.push(all("floor-all", "floor", null));
    for (const role of ["ts", "control"] as const) {
      configs.push(all(`${role}-all-untraced`, role, false));
      if (allCoresTraced) configs.push(all(`${role}-all-traced`, role, true));
    }
  }
  return configs;
}

function remoteConfigs(spec: string): { configs: TargetConfig[]; urls: Map<string, string> } {
  const urls = new Map<string, string>();
  if (spec === "compose") {
    urls.set("ts", process.env.TS_ENDPOINT_URL ?? "http://127.0.0.1:3000");
    urls.set("control", process.env.FASTAPI_CONTROL_URL ?? "http://127.0.0.1:8000");
  } else {
    const parts = spec.split(",").filter((p) => p.trim() !== "");
    parts.forEach((part, i) => {
      const eq = part.indexOf("=");
      const name =
        eq > 0 && !part.slice(0, eq).includes("/") ? part.slice(0, eq) : i === 0 ? "ts" : "control";
      urls.set(name, eq > 0 && !part.slice(0, eq).includes("/") ? part.slice(eq + 1) : part);
    });
  }
  const configs: TargetConfig[] = [...urls.keys()].map((id) => ({
    id,
    role: id.startsWith("control") ? "control" : "ts",
    tracing: null,
    workers: null,
    serverCpus: null,
    clientCpus: null,
  }));
  return { configs, urls };
}

const execFileAsync = promisify(execFile);

/** Versions of what runs: Node here, Python and its packages from the project's venv (null if absent). */
async function versions(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {
    node: process.version,
    python: null,
    lightgbm: null,
    fastapi: null,
    uvicorn: null,
    numpy: null,
    "opentelemetry-sdk": null,
  };
  const python = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
  const script = [
    "import json, platform, importlib.metadata as m",
    "names = ['lightgbm', 'fastapi', 'uvicorn', 'numpy', 'opentelemetry-sdk']",
    "v = {}",
    "for n in names:",
    "    try: v[n] = m.version(n)",
    "    except Exception: v[n] = None",
    "v['python'] = platform.python_version()",
    "print(json.dumps(v))",
  ].join("\n");
  try {
    const { stdout } = await execFileAsync(python, ["-c", script], { encoding: "utf8" });
    Object.assign(out, JSON.parse(stdout) as Record<string, string | null>);
  } catch {
    // no venv (e.g. inside the compose bench container): versions stay null
  }
  try {
    const pkg = execFileSync(process.execPath, ["-p", "require('express/package.json').version"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).trim();
    out.express = pkg;
  } catch {
    out.express = null;
  }
  return out;
}

function pinToCpus(pid: number, cpus: string): void {
  try {
    // -a: every thread of the process (Go runtime threads included); new threads inherit it.
    execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
  } catch {
    // pinning is best effort
  }
}

function serverCost(
  pid: number | null,
  cpu0: number,
  rss: ReturnType<typeof sampleRss> | null,
  sent: number,
  rowsPerRequest: number,
): ServerCost | null {
  if (pid === null || rss === null) return null;
  const cpuS = treeCpuSeconds(pid) - cpu0;
  const predictions = sent * rowsPerRequest;
  return {
    cpuS: round(cpuS, 4),
    requestsSent: sent,
    predictions,
    cpuSPer1000Predictions: round((cpuS / predictions) * 1000, 4),
    predictionsPerCpuS: round(predictions / cpuS, 5),
    rss: rss.stop(),
  };
}

/** Runs the whole benchmark and returns its result (nothing is written here: see report.ts). */
export async function runBenchmark(options: HarnessOptions): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const profile = PROFILES[options.profile];
  const startedAt = new Date();
  const loadStart = os.loadavg().map((v) => round(v, 3));
  const cores = coreCount();
  const local = options.targets === "local";
  const notes: string[] = [];
  const targets = new Map<string, Target>();
  let jaeger: Jaeger | null = null;
  let jaegerQueryUrl: string | null = null;

  try {
    // --- servers --------------------------------------------------------------------------------------------
    let configs: TargetConfig[];
    if (local) {
      configs = localConfigs(cores, profile.allCoresTraced);
      // One exit listener per server (emergency stop) plus Jaeger's.
      process.setMaxListeners(Math.max(process.getMaxListeners(), configs.length + 10));
      log("starting Jaeger");
      const started = await startJaeger({ startTimeoutMs: 60_000 });
      jaeger = started;
      if (cores >= 2) pinToCpus(started.pid, CLIENT_CPUS);
      jaegerQueryUrl = started.queryUrl;
      log(`starting ${configs.length} servers: ${configs.map((c) => c.id).join(", ")}`);
      const servers = await Promise.allSettled(
        configs.map((c) => startLocalTarget(c, { otlpEndpoint: started.otlpHttpEndpoint })),
      );
      for (const s of servers) if (s.status === "fulfilled") targets.set(s.value.id, s.value);
      const failed = servers.find((s) => s.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    } else {
      const remote = remoteConfigs(options.targets);
      configs = remote.configs;
      for (const c of configs) targets.set(c.id, remoteTarget(c, remote.urls.get(c.id)!));
      jaegerQueryUrl =
        process.env.JAEGER_QUERY_URL ?? (options.targets === "compose" ? "http://127.0.0.1:16686" : null);
      // The floor always runs locally, next to the client, so it measures the client and the loopback.
      const floor = await startLocalTarget({
        id: "floor",
        role: "floor",
        tracing: null,
        workers: 1,
        serverCpus: null,
        clientCpus: null,
      });
      targets.set(floor.id, floor);
      configs = [floor, ...configs];
      notes.push("remote targets: no server pids, so no memory or CPU figures and no tracing on/off switch");
      notes.push("versions of Python packages are the local venv's; the remote servers' may differ");
    }
    const get = (id: string) => targets.get(id)!;
    const has = (id: string) => targets.has(id);
    const spec = (id: string) => ({ name: id, url: get(id).url });
    const startupKiB = new Map<string, number>();
    for (const t of targets.values()) if (t.pid !== null) startupKiB.set(t.id, treeRssKiB(t.pid));
    const localPids = () => [...targets.values()].flatMap((t) => (t.pid === null ? [] : [t.pid]));
    const quiet = () => settle(jaeger ? [...localPids(), jaeger.pid] : localPids());

    // Which targets each phase uses.
    const floorId = local ? "floor-1w" : "floor";
    const tsUntraced = local ? "ts-1w-untraced" : "ts";
    const controlUntraced = local ? "control-1w-untraced" : "control";
    const pairs = local
      ? [
          { pair: "untraced", ts: "ts-1w-untraced", control: "control-1w-untraced" },
          { pair: "traced", ts: "ts-1w-traced", control: "control-1w-traced" },
        ]
      : [{ pair: "as deployed", ts: "ts", control: "control" }].filter((p) => has(p.ts) && has(p.control));
    const sequentialIds = [floorId, ...pairs.flatMap((p) => [p.ts, p.control])];
    const sequentialCpus = local && cores >= 2 ? CLIENT_CPUS : undefined;
    const single = singleRowBodies();

    // --- sanity: both endpoints compute the same predictions for the seed's rows -----------------------------
    const sanityIds = [tsUntraced, controlUntraced].filter(has);
    const predictions: number[][] = [];
    for (const id of sanityIds) {
      const client = createClient(get(id).url, "keepalive");
      const res = await client.post(INFERENCE, batchBody(seedRows().length));
      client.close();
      if (!res.ok) throw new Error(`${id}: POST ${INFERENCE} answered ${res.status}: ${res.body}`);
      predictions.push((JSON.parse(res.body) as { predictions: number[] }).predictions);
    }
    const maxAbsDiff =
      predictions.length === 2
        ? Math.max(...predictions[0].map((p, i) => Math.abs(p - predictions[1][i])))
        : null;
    const sanity = {
      targets: sanityIds,
      rows: seedRows().length,
      maxAbsDiff,
      agree: maxAbsDiff === null ? null : maxAbsDiff < 1e-9,
    };
    log(`sanity: max |ts - control| over ${sanity.rows} rows = ${maxAbsDiff}`);

    // --- the seed's protocol --------------------------------------------------------------------------------
    const seedRuns: SeedRun[] = [];
    const seedSummaries: (SeedSummary & { pair: string })[] = [];
    for (const variant of ["fresh", "keepalive"] as const) {
      log(`seed protocol (${variant}): ${profile.seed.samples} samples x ${profile.seed.calls} calls`);
      await quiet();
      const run = await runClientJob(
        {
          kind: "seed",
          targets: sequentialIds.map(spec),
          path: INFERENCE,
          bodies: single,
          samples: profile.seed.samples,
          calls: profile.seed.calls,
          variant,
        },
        sequentialCpus,
      );
      seedRuns.push(run);
      for (const p of pairs)
        seedSummaries.push({ pair: p.pair, ...summarizeSeed(run, p.ts, p.control, floorId) });
    }

    // --- sequential latency: tracing on vs off -----------------------------------------------------------------
    log(`sequential latency: ${profile.latency.requests} requests per target`);
    await quiet();
    const seq = await runClientJob(
      {
        kind: "sequential",
        targets: sequentialIds.map(spec),
        path: INFERENCE,
        bodies: single,
        requestsPerTarget: profile.latency.requests,
        blockSize: profile.latency.block,
        warmupPerTarget: profile.latency.warmup,
        traceparent: false,
      },
      sequentialCpus,
    );
    const latencySummary: BenchResult["latency"]["summary"] = {};
    for (const [id, values] of Object.entries(seq.latenciesMs)) {
      const s = summarize(values);
      for (const key of Object.keys(s) as (keyof LatencySummary)[]) s[key] = round(s[key], 5);
      latencySummary[id] = { ...s, errors: seq.errors[id] };
    }
    const tracingCost = local
      ? (["ts", "control"] as const).map((role) => {
          const off = latencySummary[`${role}-1w-untraced`];
          const on = latencySummary[`${role}-1w-traced`];
          return {
            role,
            untraced: `${role}-1w-untraced`,
            traced: `${role}-1w-traced`,
            p50Pct: round((100 * (on.p50Ms - off.p50Ms)) / off.p50Ms, 4),
            p99Pct: round((100 * (on.p99Ms - off.p99Ms)) / off.p99Ms, 4),
          };
        })
      : [];

    // --- time split from Jaeger ------------------------------------------------------------------------------
    const split: BenchResult["traceSplit"] = {};
    const tracedIds = local ? ["ts-1w-traced", "control-1w-traced"] : pairs.length ? ["ts", "control"] : [];
    if (jaegerQueryUrl && tracedIds.length > 0) {
      log(`time split: ${profile.traceSplit.requests} traced requests per endpoint`);
      await quiet();
      const windowStart = new Date(Date.now() - 2000);
      const traced = await runClientJob(
        {
          kind: "sequential",
          targets: tracedIds.map(spec),
          path: INFERENCE,
          bodies: single,
          requestsPerTarget: profile.traceSplit.requests,
          blockSize: profile.latency.block,
          warmupPerTarget: 0,
          traceparent: true,
        },
        sequentialCpus,
      );
      const window = { start: windowStart, end: new Date(Date.now() + 60_000) };
      for (const id of tracedIds) {
        const service = get(id).serviceName!;
        try {
          const result = await traceSplit(
            jaegerQueryUrl,
            service,
            traced.traceIds[id],
            traced.latenciesMs[id],
            window,
          );
          split[id] = { target: id, ...result };
          log(`  ${id}: ${result.matched}/${result.requests} traces matched`);
        } catch (error) {
          notes.push(`time split for ${id} failed: ${(error as Error).message}`);
        }
      }
    } else {
      notes.push("time split skipped: no Jaeger query URL (set JAEGER_QUERY_URL)");
    }

    // --- closed-loop throughput at each concurrency level ------------------------------------------------------
    const restKiB = new Map<string, number>();
    const peakKiB = new Map<string, number>();
    const jaegerPid = jaeger?.pid ?? null;
    const notePeak = (id: string, cost: ServerCost | null) => {
      if (cost) peakKiB.set(id, Math.max(peakKiB.get(id) ?? 0, cost.rss.peakKiB));
    };
    const loadIds = configs.map((c) => c.id);
    const loadRuns: LoadRun[] = [];
    for (const level of profile.load.levels) {
      for (const id of loadIds) {
        const t = get(id);
        await quiet();
        if (t.pid !== null && !restKiB.has(id)) restKiB.set(id, treeRssKiB(t.pid));
        log(`load: ${id} at concurrency ${level}`);
        const cpu0 = t.pid !== null ? treeCpuSeconds(t.pid) : 0;
        const jaegerCpu0 = jaegerPid !== null ? treeCpuSeconds(jaegerPid) : 0;
        const rss = t.pid !== null ? sampleRss(t.pid) : null;
        const result = await runClientJob(
          {
            kind: "closed",
            url: t.url,
            path: INFERENCE,
            bodies: single,
            concurrency: level,
            warmupMs: profile.load.warmupMs,
            durationMs: profile.load.durationMs,
          },
          t.clientCpus ?? undefined,
        );
        const server = serverCost(t.pid, cpu0, rss, result.sentTotal, 1);
        notePeak(id, server);
        loadRuns.push({
          target: id,
          concurrency: level,
          result,
          server,
          jaegerCpuS:
            jaegerPid !== null && t.tracing ? round(treeCpuSeconds(jaegerPid) - jaegerCpu0, 4) : null,
        });
      }
    }

    // --- rows per request ------------------------------------------------------------------------------------------
    const rowsIds = [floorId, tsUntraced, controlUntraced].filter(has);
    const rowsRuns: RowsRun[] = [];
    for (const rows of profile.rows.sizes) {
      const body = batchBody(rows);
      for (const id of rowsIds) {
        const t = get(id);
        await quiet();
        log(`rows: ${id} with ${rows} rows per request`);
        const cpu0 = t.pid !== null ? treeCpuSeconds(t.pid) : 0;
        const rss = t.pid !== null ? sampleRss(t.pid) : null;
        const result = await runClientJob(
          {
            kind: "closed",
            url: t.url,
            path: INFERENCE,
            bodies: [body],
            concurrency: profile.rows.concurrency,
            warmupMs: profile.rows.warmupMs,
            durationMs: profile.rows.durationMs,
          },
          t.clientCpus ?? undefined,
        );
        const server = serverCost(t.pid, cpu0, rss, result.sentTotal, rows);
        notePeak(id, server);
        rowsRuns.push({
          target: id,
          rows,
          concurrency: profile.rows.concurrency,
          result,
          predictionsPerS: round(result.throughputRps * rows, 5),
          server,
        });
      }
    }

    // --- open loop: the same offered rate to every endpoint ----------------------------------------------------------
    const openRuns: OpenLoopRun[] = [];
    const controlPeak = Math.max(
      0,
      ...loadRuns
        .filter((r) => r.target === controlUntraced && r.result.errors === 0)
        .map((r) => r.result.throughputRps),
    );
    if (controlPeak > 0) {
      for (const fraction of profile.openLoop.fractions) {
        const rate = Math.max(1, Math.round(controlPeak * fraction));
        for (const id of [tsUntraced, controlUntraced].filter(has)) {
          const t = get(id);
          await quiet();
          log(`open loop: ${id} at ${rate} requests/s`);
          const result = await runClientJob(
            {
              kind: "open",
              url: t.url,
              path: INFERENCE,
              bodies: single,
              ratePerSecond: rate,
              warmupMs: profile.openLoop.warmupMs,
              durationMs: profile.openLoop.durationMs,
            },
            t.clientCpus ?? undefined,
          );
          openRuns.push({ target: id, fraction, ratePerSecond: rate, result });
        }
      }
    } else {
      notes.push("open loop skipped: no error-free control throughput to set the rate from");
    }

    // --- memory ------------------------------------------------------------------------------------------------
    const memory: MemoryRecord[] = [];
    for (const t of targets.values()) {
      if (t.pid === null) continue;
      memory.push({
        target: t.id,
        processes: processTree(t.pid).length,
        startupKiB: startupKiB.get(t.id) ?? 0,
        restKiB: restKiB.get(t.id) ?? 0,
        peakKiB: peakKiB.get(t.id) ?? 0,
        hwmKiB: treeHwmKiB(t.pid),
      });
    }

    const loadEnd = os.loadavg().map((v) => round(v, 3));
    const finishedAt = new Date();
    const result: BenchResult = {
      schema: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationS: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 5),
      profile,
      settings: {
        targets: options.targets,
        mode: local ? "local" : "remote",
        cores,
        pinning: local && cores >= 2 ? { serverCpus: SERVER_CPUS, clientCpus: CLIENT_CPUS } : null,
        path: INFERENCE,
        inputs: inputsGenerator(),
        model: local ? "model/model.txt" : "as deployed",
        jaegerQueryUrl,
        loadAverage: { start: loadStart, end: loadEnd },
      },
      machine: machineInfo(),
      versions: await versions(),
      targets: configs.map((c) => {
        const t = get(c.id);
        return { ...c, url: t.url, pid: t.pid, processes: t.pid !== null ? processTree(t.pid).length : null };
      }),
      sanity,
      seed: { runs: seedRuns, summaries: seedSummaries },
      latency: {
        clientCpus: sequentialCpus ?? null,
        latenciesMs: seq.latenciesMs,
        summary: latencySummary,
        tracingCost,
      },
      traceSplit: split,
      load: loadRuns,
      rows: rowsRuns,
      openLoop: openRuns,
      memory,
      summary: {},
      notes,
    };
    result.summary = summarizeResult(result);
    return result;
  } finally {
    await Promise.all([...targets.values()].map((t) => t.stop().catch(() => undefined)));
    await jaeger?.stop();
  }
}

/** The handful of figures people ask for first (issue 3), and the checks on the load generator. */
function summarizeResult(r: BenchResult): Record<string, unknown> {
  const levels = r.profile.load.levels;
  // Concurrency 32 when the profile has it, else the nearest level.
  const c32 = levels.reduce((best, l) => (Math.abs(l - 32) < Math.abs(best - 32) ? l : best), levels[0]);
  const throughputAt = (id: string) =>
    r.load.find((run) => run.target === id && run.concurrency === c32)?.result.throughputRps ?? null;
  const lat = (id: string) => r.latency.summary[id] ?? null;
  const tsOff = r.settings.mode === "local" ? "ts-1w-untraced" : "ts";
  const tsOn = "ts-1w-traced";
  const floor = r.settings.mode === "local" ? "floor-1w" : "floor";
  const errors =
    r.load.reduce((s, x) => s + x.result.errors, 0) +
    r.rows.reduce((s, x) => s + x.result.errors, 0) +
    r.openLoop.reduce((s, x) => s + x.result.errors, 0) +
    Object.values(r.latency.summary).reduce((s, x) => s + x.errors, 0) +
    r.seed.runs.reduce((s, run) => s + Object.values(run.errors).reduce((a, b) => a + b, 0), 0);
  const clientCores = [...r.load, ...r.rows].map((x) => x.result.clientCpuCores);
  return {
    issue3: {
      concurrency: c32,
      tsUntracedP50Ms: lat(tsOff)?.p50Ms ?? null,
      tsUntracedP99Ms: lat(tsOff)?.p99Ms ?? null,
      tsTracedP50Ms: lat(tsOn)?.p50Ms ?? null,
      tsTracedP99Ms: lat(tsOn)?.p99Ms ?? null,
      tracingCostP50Pct: r.latency.tracingCost.find((t) => t.role === "ts")?.p50Pct ?? null,
      throughputOneWorkerRps: throughputAt(tsOff),
      throughputAllCoresRps: throughputAt("ts-all-untraced"),
      throughputOneWorkerTracedRps: throughputAt(tsOn),
      throughputAllCoresTracedRps: throughputAt("ts-all-traced"),
    },
    loadGenerator: {
      // The floor's throughput is what this client can drive at all; an endpoint well below it is not
      // limited by the client.
      floorThroughputRps: throughputAt(floor),
      floorAllThroughputRps: throughputAt("floor-all"),
      maxClientCpuCores: clientCores.length ? Math.max(...clientCores) : null,
      runsWithClientAbove90PctOfACore: [...r.load, ...r.rows]
        .filter((x) => x.result.clientCpuCores > 0.9)
        .map((x) => `${x.target}@${"rows" in x ? `${x.rows} rows` : `c${x.concurrency}`}`),
    },
    totalErrors: errors,
  };
}
