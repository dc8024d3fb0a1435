/**
 * A/B harness for the request path: starts each variant as a real process on loopback (pinned to one core
 * with taskset), drives them from this process (pinned to the other core) with sequential keep-alive calls of
 * the seed's single-row bodies, interleaved sample by sample, and prints per call: median µs, µs beyond the
 * floor, the ratio to a base variant, the server's CPU µs, and its RSS at rest and peak (/proc/<pid>/status).
 *
 *   taskset is applied by the harness itself; on a shared machine run nothing else meanwhile:
 *   node dist/bench/profile/request-path.js [options] [variant ...]
 *
 * Variants: built-in names, or `name=launcher` to run any launcher like bin/ts-endpoint (for example an older
 * build in another checkout), with `+VAR=value` suffixes for its environment:
 *   floor          bench/http/floor-server.js: node:http, no model (the loopback and client floor)
 *   express-min    bench/profile/minimal-express.js: the model behind a minimal Express 5 route
 *   ts, ts-traced  bin/ts-endpoint, tracing off / on (spans go to otlp-sink.js)
 *   fiber, fiber-traced   the Go peer (bench/peers/fiber, built with the machine's Go by its build.sh)
 *   fiber-floor    the Go peer's floor (`fiber-peer -floor`: Fiber answering a constant, no model)
 *   old=/tmp/old/bin/ts-endpoint+OTEL_SDK_DISABLED=false
 * Options: --samples 50 --calls 100 --warmup 3000 --base <variant> --server-cpu 0 --client-cpu 1 --json <file>
 *   --concurrency <n> --seconds <s>   instead of sequential calls: rounds (--samples, default 5 here) of
 *                            closed-loop load at n connections for s seconds (default 4) per variant, alternating;
 *                            prints the median requests/s, p50 and p99, and the server CPU µs per request
 *                            (e.g. `--concurrency 32 --server-cpu 0,1` for a WORKERS=all variant)
 *   --rate <r> --seconds <s>   the same with open-loop load: r requests per second, whatever the answers' pace
 *   --keep-server-cpu-busy   keeps the server's CPU busy at idle priority while measuring (../http/busy-cpu.ts),
 *                            so the figures leave out the cost of waking an idle CPU between calls. Server CPU
 *                            figures are unchanged (the loop is another process).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { keepCpusBusy } from "../http/busy-cpu";
import { createClient, type Client } from "../http/client";
import { runClientJob } from "../http/client-process";
import { singleRowBodies } from "../http/inputs";
import { freePort } from "../../scripts/lib/ports";

const REPO = path.resolve(__dirname, "..", "..", "..");
const MODEL = path.join(REPO, "model", "model.txt");

/** The Go peer's binary, built (and cached) by bench/peers/fiber/build.sh on first use. */
function fiberBinary(): string {
  return execFileSync("bash", [path.join(REPO, "bench", "peers", "fiber", "build.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

interface Spec {
  name: string;
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

interface Running {
  spec: Spec;
  child: ChildProcess;
  url: string;
  client: Client;
  restKiB: number;
  samples: number[];
  cpuTicks: number;
}

function builtIn(name: string): Spec | undefined {
  const node = (file: string): Pick<Spec, "file" | "args"> => ({ file: process.execPath, args: [file] });
  const traced = { OTEL_SDK_DISABLED: "false" };
  const table: Record<string, Omit<Spec, "name">> = {
    floor: { ...node(path.join(REPO, "dist", "bench", "http", "floor-server.js")), env: {} },
    "express-min": { ...node(path.join(__dirname, "minimal-express.js")), env: {} },
    ts: { file: path.join(REPO, "bin", "ts-endpoint"), args: [], env: {} },
    "ts-traced": { file: path.join(REPO, "bin", "ts-endpoint"), args: [], env: traced },
  };
  if (name === "fiber" || name === "fiber-traced")
    return { name, file: fiberBinary(), args: [], env: name === "fiber" ? {} : traced };
  if (name === "fiber-floor") return { name, file: fiberBinary(), args: ["-floor"], env: {} };
  const spec = table[name];
  return spec && { name, ...spec };
}

function parseVariant(text: string): Spec {
  const known = builtIn(text);
  if (known) return known;
  const eq = text.indexOf("=");
  if (eq < 0) throw new Error(`unknown variant "${text}"`);
  const [launcher, ...vars] = text.slice(eq + 1).split("+");
  const env = Object.fromEntries(vars.map((v) => [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)]));
  return { name: text.slice(0, eq), file: launcher, args: [], env };
}

function procStatusKiB(pid: number, key: string): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${key}:`));
  return line ? Number(line.split(/\s+/)[1]) : NaN;
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime + stime, fields 14 and 15 of stat
}

async function start(spec: Spec, serverCpu: string, otlp: string): Promise<Running> {
  const port = await freePort();
  const child = spawn("taskset", ["-c", serverCpu, spec.file, ...spec.args], {
    cwd: REPO,
    env: {
      ...process.env,
      OTEL_SDK_DISABLED: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_SERVICE_NAME: `profile-${spec.name}`,
      MODEL_PATH: MODEL,
      HOST: "127.0.0.1",
      ...spec.env,
      PORT: String(port),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; ;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited during start-up`);
    if (
      await fetch(`${url}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`${spec.name} not ready after 120 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const pid = child.pid as number;
  return {
    spec,
    child,
    url,
    client: createClient(url, "keepalive"),
    restKiB: procStatusKiB(pid, "VmRSS"),
    samples: [],
    cpuTicks: 0,
  };
}

async function calls(run: Running, bodies: string[], n: number, offset: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await run.client.post("/inference", bodies[(offset + i) % bodies.length]);
    if (!res.ok) throw new Error(`${run.spec.name}: ${res.status} ${res.error ?? res.body}`);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const [value] = argv.splice(i, 2).slice(1);
    return value;
  };
  const samples = Number(
    opt("samples", argv.includes("--concurrency") || argv.includes("--rate") ? "5" : "50"),
  );
  const perSample = Number(opt("calls", "100"));
  const warmup = Number(opt("warmup", "3000"));
  const serverCpu = opt("server-cpu", "0");
  const clientCpu = opt("client-cpu", "1");
  const jsonOut = opt("json", "");
  const base = opt("base", "express-min");
  const concurrency = Number(opt("concurrency", "0"));
  const rate = Number(opt("rate", "0"));
  const seconds = Number(opt("seconds", "4"));
  const busy = argv.includes("--keep-server-cpu-busy");
  if (busy) argv.splice(argv.indexOf("--keep-server-cpu-busy"), 1);
  const specs = (argv.length > 0 ? argv : ["floor", "express-min", "ts", "ts-traced"]).map(parseVariant);

  execFileSync("taskset", ["-a", "-cp", clientCpu, String(process.pid)], { stdio: "ignore" });
  const sinkPort = await freePort();
  const sink = spawn("taskset", ["-c", clientCpu, process.execPath, path.join(__dirname, "otlp-sink.js")], {
    env: { ...process.env, PORT: String(sinkPort) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  process.once("exit", () => sink.kill("SIGKILL"));
  const otlp = `http://127.0.0.1:${sinkPort}`;

  const bodies = singleRowBodies();
  const runs: Running[] = [];
  for (const spec of specs) runs.push(await start(spec, serverCpu, otlp));
  if (concurrency > 0 || rate > 0) {
    await loadRounds(runs, bodies, { concurrency, rate, seconds, rounds: samples, clientCpu, base });
    for (const run of runs) {
      run.client.close();
      run.child.kill("SIGTERM");
    }
    sink.kill("SIGTERM");
    return;
  }
  for (const run of runs) await calls(run, bodies, warmup, 0);
  const tickUs = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  const stopBusy = busy ? keepCpusBusy(serverCpu) : undefined;
  for (let s = 0; s < samples; s++) {
    // Rotate the order so no variant always follows the same neighbour.
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(s + k) % runs.length];
      const pid = run.child.pid as number;
      const ticks = cpuTicks(pid);
      const t0 = process.hrtime.bigint();
      await calls(run, bodies, perSample, s * perSample);
      run.samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / perSample);
      run.cpuTicks += cpuTicks(pid) - ticks;
    }
  }
  const floor = runs.find((r) => r.spec.name === "floor");
  const baseRun = runs.find((r) => r.spec.name === base) ?? runs[0];
  const rows = runs.map((r) => ({
    variant: r.spec.name,
    medianUs: median(r.samples),
    p10Us: quantile(r.samples, 0.1),
    p75Us: quantile(r.samples, 0.75),
    cpuUsPerCall: (r.cpuTicks * tickUs) / (samples * perSample),
    restMiB: r.restKiB / 1024,
    peakMiB: procStatusKiB(r.child.pid as number, "VmHWM") / 1024,
  }));
  const floorUs = floor ? median(floor.samples) : 0;
  const baseUs = median(baseRun.samples);
  stopBusy?.();
  console.log(
    `${samples} samples × ${perSample} sequential keep-alive calls per variant, interleaved; server on CPU ${serverCpu}, client on ${clientCpu}` +
      (busy ? `; CPU ${serverCpu} kept busy at idle priority` : ""),
  );
  console.log(
    "variant          µs/call  (p10–p75)       beyond floor  × " +
      baseRun.spec.name.padEnd(12) +
      " server CPU µs/call  RSS rest / peak MiB",
  );
  for (const r of rows) {
    console.log(
      `${r.variant.padEnd(16)} ${r.medianUs.toFixed(1).padStart(7)}  (${r.p10Us.toFixed(0)}–${r.p75Us.toFixed(0)})`.padEnd(
        42,
      ) +
        `${floor ? (r.medianUs - floorUs).toFixed(1).padStart(8) : "       -"}      ${(r.medianUs / baseUs).toFixed(3).padStart(6)}` +
        `        ${r.cpuUsPerCall.toFixed(0).padStart(6)}           ${r.restMiB.toFixed(0).padStart(4)} / ${r.peakMiB.toFixed(0)}`,
    );
  }
  if (jsonOut)
    fs.writeFileSync(
      jsonOut,
      JSON.stringify(
        { samples, perSample, rows, raw: Object.fromEntries(runs.map((r) => [r.spec.name, r.samples])) },
        null,
        1,
      ),
    );
  for (const run of runs) {
    run.client.close();
    run.child.kill("SIGTERM");
  }
  sink.kill("SIGTERM");
}

/**
 * Load per variant: `rounds` alternating runs of `seconds` each, closed-loop at `concurrency` connections or
 * open-loop at `rate` requests per second.
 */
async function loadRounds(
  runs: Running[],
  bodies: string[],
  o: { concurrency: number; rate: number; seconds: number; rounds: number; clientCpu: string; base: string },
): Promise<void> {
  const tickUs = 1e6 / Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  const rps = new Map<Running, number[]>(runs.map((r) => [r, []]));
  const p50 = new Map<Running, number[]>(runs.map((r) => [r, []]));
  const p99 = new Map<Running, number[]>(runs.map((r) => [r, []]));
  const cpu = new Map<Running, { ticks: number; requests: number }>(
    runs.map((r) => [r, { ticks: 0, requests: 0 }]),
  );
  for (let round = 0; round < o.rounds; round++) {
    for (let k = 0; k < runs.length; k++) {
      const run = runs[(round + k) % runs.length];
      const before = treeTicks(run.child.pid as number);
      const common = {
        url: run.url,
        path: "/inference",
        bodies,
        warmupMs: 500,
        durationMs: o.seconds * 1000,
      };
      const result =
        o.rate > 0
          ? await runClientJob({ kind: "open", ratePerSecond: o.rate, ...common }, o.clientCpu)
          : await runClientJob({ kind: "closed", concurrency: o.concurrency, ...common }, o.clientCpu);
      if (result.errors > 0) throw new Error(`${run.spec.name}: ${result.errorSamples.join("; ")}`);
      rps.get(run)!.push(result.throughputRps);
      p50.get(run)!.push(result.latency.p50Ms);
      p99.get(run)!.push(result.latency.p99Ms);
      const c = cpu.get(run)!;
      c.ticks += treeTicks(run.child.pid as number) - before;
      c.requests += result.sentTotal;
    }
  }
  const baseRun = runs.find((r) => r.spec.name === o.base) ?? runs[0];
  const load =
    o.rate > 0 ? `open-loop load at ${o.rate} req/s` : `closed-loop load at concurrency ${o.concurrency}`;
  console.log(`${o.rounds} rounds × ${o.seconds} s of ${load} per variant, alternating; medians over rounds`);
  console.log(
    `variant          req/s   × ${baseRun.spec.name.padEnd(12)} p50 ms   p99 ms   server CPU µs/request`,
  );
  for (const run of runs) {
    const xs = rps.get(run)!;
    const c = cpu.get(run)!;
    console.log(
      [
        run.spec.name.padEnd(16),
        median(xs).toFixed(0).padStart(6),
        `   ${(median(xs) / median(rps.get(baseRun)!)).toFixed(3).padEnd(13)}`,
        median(p50.get(run)!).toFixed(3).padEnd(8),
        median(p99.get(run)!).toFixed(3).padEnd(8),
        ((c.ticks * tickUs) / c.requests).toFixed(1).padStart(8),
      ].join(" "),
    );
  }
}

/** CPU ticks of a process and its children (the cluster workers of WORKERS=all). */
function treeTicks(pid: number): number {
  const children = fs.existsSync(`/proc/${pid}/task/${pid}/children`)
    ? fs
        .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number)
    : [];
  return cpuTicks(pid) + children.reduce((s, child) => s + treeTicks(child), 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
