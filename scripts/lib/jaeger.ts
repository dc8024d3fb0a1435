/**
 * A real Jaeger (v2, in-memory storage) on free loopback ports, for the tests and the benchmark.
 *
 * `startJaeger()` gets the cached binary from scripts/jaeger/ensure.sh (building it on first use, which takes
 * minutes), runs it with scripts/jaeger/config.yaml and resolves once both the query API and the OTLP receivers
 * answer. Read traces back with ./jaeger-query.
 *
 * Environment: `JAEGER_BIN` uses that binary instead of ensure.sh; `JAEGER_TEST_LOGS=1` copies Jaeger's log to
 * stderr (otherwise its tail is only shown when start-up fails).
 */
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { launch } from "./launcher";
import { REPO_ROOT } from "./paths";
import { freePorts } from "./ports";

export interface Jaeger {
  /** Base URL of the OTLP/HTTP receiver; POST traces to `${otlpHttpEndpoint}/v1/traces`. */
  otlpHttpEndpoint: string;
  /** OTLP/gRPC receiver, as `http://127.0.0.1:<port>` (the form OTel gRPC exporters take). */
  otlpGrpcEndpoint: string;
  /** Base URL of the query HTTP API (`/api/v3/...`, legacy `/api/...`). */
  queryUrl: string;
  pid: number;
  /** Sends SIGTERM (SIGKILL after 5 s) and resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";

/** Starts a Jaeger on free loopback ports; retries with new ports if one was taken in the meantime. */
export async function startJaeger(
  options: { startTimeoutMs?: number; env?: NodeJS.ProcessEnv; cpus?: string } = {},
): Promise<Jaeger> {
  const binary = process.env.JAEGER_BIN || (await ensureJaegerBinary());
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnFreePorts(
        binary,
        options.startTimeoutMs ?? 30_000,
        options.env ?? {},
        options.cpus,
      );
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Runs scripts/jaeger/ensure.sh (its build progress goes to our stderr) and returns the binary path it prints. */
export function ensureJaegerBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    const script = path.join(REPO_ROOT, "scripts", "jaeger", "ensure.sh");
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const binary = stdout.trim();
      if (code === 0 && binary !== "") resolve(binary);
      else reject(new Error(`scripts/jaeger/ensure.sh failed (exit code ${code})`));
    });
  });
}

async function startOnFreePorts(
  binary: string,
  startTimeoutMs: number,
  env: NodeJS.ProcessEnv,
  cpus: string | undefined,
): Promise<Jaeger> {
  const [otlpGrpc, otlpHttp, queryHttp, queryGrpc] = await freePorts(4, HOST);
  const args = ["--config", path.join(REPO_ROOT, "scripts", "jaeger", "config.yaml")];
  const queryUrl = `http://${HOST}:${queryHttp}`;
  const proc = await launch({
    name: "Jaeger",
    command: cpus ? "taskset" : binary,
    args: cpus ? ["-c", cpus, binary, ...args] : args,
    env: {
      JAEGER_HOST: HOST,
      JAEGER_OTLP_GRPC_PORT: String(otlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(otlpHttp),
      JAEGER_QUERY_HTTP_PORT: String(queryHttp),
      JAEGER_QUERY_GRPC_PORT: String(queryGrpc),
      ...env,
    },
    echo: process.env.JAEGER_TEST_LOGS === "1",
    logTailChars: 8_000,
    graceMs: 5_000,
    ready: [`${queryUrl}/api/v3/services`, () => canConnect(otlpHttp), () => canConnect(otlpGrpc)],
    readyTimeoutMs: startTimeoutMs,
  });
  return {
    otlpHttpEndpoint: `http://${HOST}:${otlpHttp}`,
    otlpGrpcEndpoint: `http://${HOST}:${otlpGrpc}`,
    queryUrl,
    pid: proc.pid,
    stop: async () => {
      await proc.stop();
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
