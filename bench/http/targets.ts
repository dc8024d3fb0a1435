/**
 * The servers a run measures. Locally the harness starts them itself (as child processes in their own process
 * groups, so their pids and their workers' pids are known and they can be stopped by pid); for the compose
 * stack or given URLs it only knows their addresses, so server-side figures (memory, CPU) are not available.
 *
 * Roles: "floor" (floor-server.ts, a no-op node:http server), "go-floor" (the Go peer's `-floor` mode: Fiber
 * answering a constant, the Go runtime's own floor), "bare" (bare-server.ts: our request parser and
 * evaluator behind node:http, no Express, no telemetry), "ts" (the TypeScript endpoint), "go" (the seed's Go
 * Fiber + leaves endpoint, bench/peers/fiber, with GOMAXPROCS left unset), "control" (the FastAPI control).
 */
import * as os from "node:os";
import * as path from "node:path";
import { launch } from "../../scripts/lib/launcher";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { freePort } from "../../scripts/lib/ports";

export type Role = "floor" | "go-floor" | "bare" | "ts" | "go" | "control";

export interface TargetConfig {
  /** Stable id used as the key everywhere in the results, e.g. "ts-1w-traced". */
  id: string;
  role: Role;
  /** true / false when the harness set it (OTEL_SDK_DISABLED), null when unknown (remote targets). */
  tracing: boolean | null;
  /** Worker processes: 1, or the number of cores ("all"); null when unknown. */
  workers: number | null;
  /** CPU list the server is pinned to with taskset (e.g. "0"), or null. */
  serverCpus: string | null;
  /** CPU list the client process is pinned to when measuring this target, or null. */
  clientCpus: string | null;
}

export interface Target extends TargetConfig {
  url: string;
  /** The server's pid (the Node cluster primary / uvicorn parent), null for remote targets. */
  pid: number | null;
  /** OpenTelemetry service name, for finding its traces in Jaeger. */
  serviceName: string | null;
  stop(): Promise<void>;
}

const SERVICE_NAMES: Record<Role, string | null> = {
  floor: null,
  "go-floor": null,
  bare: null,
  ts: "ts-endpoint",
  go: "go-fiber",
  control: "fastapi-control",
};

function command(
  config: TargetConfig,
  goBinary: string | undefined,
): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  switch (config.role) {
    case "floor":
      return { file: process.execPath, args: [path.join(__dirname, "floor-server.js")], env: {} };
    case "bare":
      return { file: process.execPath, args: [path.join(__dirname, "bare-server.js")], env: {} };
    case "go-floor":
      if (goBinary === undefined) throw new Error(`${config.id}: no Go peer binary`);
      return { file: goBinary, args: ["-floor"], env: { GOMAXPROCS: undefined } };
    case "go":
      if (goBinary === undefined) throw new Error(`${config.id}: no Go peer binary`);
      // GOMAXPROCS unset: the Go runtime takes it from the CPU affinity mask (1 when pinned to one core).
      return { file: goBinary, args: [], env: { GOMAXPROCS: undefined } };
    case "ts":
      return {
        file: path.join(REPO_ROOT, "bin", "ts-endpoint"),
        args: [],
        // "all" makes the endpoint fork one cluster worker per core.
        env: { WORKERS: config.workers === 1 ? "1" : "all" },
      };
    case "control":
      return {
        file: "bash",
        args: [path.join(REPO_ROOT, "control", "run.sh")],
        env: { WORKERS: String(config.workers ?? 1) },
      };
  }
}

/** Starts a local server for `config` on a free port and resolves once GET /ready answers 200. */
export async function startLocalTarget(
  config: TargetConfig,
  options: { otlpEndpoint?: string; readyTimeoutMs?: number; goBinary?: string } = {},
): Promise<Target> {
  const port = await freePort();
  const { file, args, env } = command(config, options.goBinary);
  const serviceName = SERVICE_NAMES[config.role];
  const url = `http://127.0.0.1:${port}`;
  // taskset execs the command, and run.sh execs python, so the pid we hold is the server's own.
  const proc = await launch({
    name: config.id,
    command: config.serverCpus ? "taskset" : file,
    args: config.serverCpus ? ["-c", config.serverCpus, file, ...args] : args,
    cwd: REPO_ROOT,
    env: {
      ...env,
      HOST: "127.0.0.1",
      PORT: String(port),
      MODEL_PATH: path.join(REPO_ROOT, "model", "model.txt"),
      OTEL_SDK_DISABLED: config.tracing ? "false" : "true",
      ...(serviceName ? { OTEL_SERVICE_NAME: serviceName } : {}),
      ...(config.tracing && options.otlpEndpoint
        ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }
        : {}),
    },
    stdout: "ignore",
    logTailChars: 4_000,
    ready: `${url}/ready`,
    readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
  });
  return {
    ...config,
    url,
    pid: proc.pid,
    serviceName,
    async stop() {
      await proc.stop();
    },
  };
}

/** A server the harness did not start: only its address is known. */
export function remoteTarget(config: TargetConfig, url: string): Target {
  return {
    ...config,
    url: url.replace(/\/+$/, ""),
    pid: null,
    serviceName: SERVICE_NAMES[config.role],
    stop: () => Promise.resolve(),
  };
}

/** Cores the harness can use; one worker per core is what "all cores" means. */
export function coreCount(): number {
  return os.availableParallelism();
}
