/**
 * The servers a run measures. Locally the harness starts them itself (as child processes in their own process
 * groups, so their pids and their workers' pids are known and they can be stopped by pid); for the compose
 * stack or given URLs it only knows their addresses, so server-side figures (memory, CPU) are not available.
 *
 * Roles: "floor" (floor-server.ts), "ts" (the TypeScript endpoint), "control" (the FastAPI control).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "../../test/support/server";

export type Role = "floor" | "ts" | "control";

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

export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const SERVICE_NAMES: Record<Role, string | null> = {
  floor: null,
  ts: "ts-endpoint",
  control: "fastapi-control",
};

function command(config: TargetConfig): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  switch (config.role) {
    case "floor":
      return { file: process.execPath, args: [path.join(__dirname, "floor-server.js")], env: {} };
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
  options: { otlpEndpoint?: string; readyTimeoutMs?: number } = {},
): Promise<Target> {
  const port = await freePort();
  const { file, args, env } = command(config);
  const serviceName = SERVICE_NAMES[config.role];
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    HOST: "127.0.0.1",
    PORT: String(port),
    MODEL_PATH: path.join(REPO_ROOT, "model", "model.txt"),
    OTEL_SDK_DISABLED: config.tracing ? "false" : "true",
    ...(serviceName ? { OTEL_SERVICE_NAME: serviceName } : {}),
    ...(config.tracing && options.otlpEndpoint
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }
      : {}),
  };
  // taskset execs the command, and run.sh execs python, so the pid we hold is the server's own.
  const [cmd, argv] = config.serverCpus
    ? ["taskset", ["-c", config.serverCpus, file, ...args]]
    : [file, args];
  const child = spawn(cmd, argv, {
    cwd: REPO_ROOT,
    env: fullEnv,
    detached: true, // its own process group, so an emergency stop reaches its workers too
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = () => killProcessGroup(child);
  process.once("exit", killGroup);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${config.id} exited during start-up (${child.exitCode ?? child.signalCode}):\n${log}`);
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      killGroup();
      throw new Error(`${config.id} not ready after ${options.readyTimeoutMs ?? 90_000} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    ...config,
    url,
    pid: child.pid as number,
    serviceName,
    async stop() {
      process.removeListener("exit", killGroup);
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid as number, "SIGTERM");
        const timer = setTimeout(killGroup, 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

function killProcessGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
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
