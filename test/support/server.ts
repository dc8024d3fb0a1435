/**
 * Starts the real endpoint as a child process (bin/ts-endpoint) on a free loopback port,
 * waits until it answers, and stops it by its pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  logs(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The TypeScript endpoint, with tracing off unless `env` turns it on. */
export async function startServer(env: NodeJS.ProcessEnv = {}, readyPath = "/ready"): Promise<RunningServer> {
  return launch(path.join(REPO_ROOT, "bin", "ts-endpoint"), [], env, readyPath);
}

/** The FastAPI control (control/run.sh execs uvicorn, so the pid is the server's), tracing off unless asked. */
export async function startControl(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return launch("bash", [path.join(REPO_ROOT, "control", "run.sh")], env, "/ready");
}

export async function launch(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPath: string,
): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    // A short warm-up keeps test start-up quick; the benchmark uses the default.
    env: {
      ...process.env,
      OTEL_SDK_DISABLED: "true",
      HOST: "127.0.0.1",
      WARMUP_ROWS: "2000",
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "inherit", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const stderrRead = new Promise((resolve) => child.stderr?.once("close", resolve));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (true) {
    if (child.exitCode !== null) {
      await stderrRead; // the last lines may still be in the pipe when the exit is seen
      throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    }
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid as number,
    process: child,
    logs: () => stderr,
    stop: async () => {
      if (child.exitCode === null) process.kill(child.pid as number, "SIGTERM");
      return exited;
    },
  };
}

/** POSTs a JSON value (or a raw string) and returns status and parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text === "" ? null : (JSON.parse(text) as unknown),
    headers: res.headers,
  };
}
