/**
 * Starts the real endpoint as a child process (bin/ts-endpoint) on a free loopback port, waits until it answers,
 * and stops it by its pid (scripts/lib/launcher.ts does the work).
 */
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import { launch as launchProcess } from "../../scripts/lib/launcher";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { freePort } from "../../scripts/lib/ports";

export { freePort };

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  logs(): string;
  /** Sends SIGTERM (SIGKILL after `graceMs`, default 10 s) and resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** The TypeScript endpoint, with tracing off unless `env` turns it on. */
export async function startServer(env: NodeJS.ProcessEnv = {}, readyPath = "/ready"): Promise<RunningServer> {
  return launch(path.join(REPO_ROOT, "bin", "ts-endpoint"), [], env, readyPath);
}

/** The FastAPI control (control/run.sh execs uvicorn, so the pid is the server's), tracing off unless asked. */
export async function startControl(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return launch("bash", [path.join(REPO_ROOT, "control", "run.sh")], env, "/ready");
}

/** Starts `command` with the test defaults on a free port and waits until `readyPath` answers 200. */
export async function launch(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPath: string,
): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = await launchProcess({
    name: path.basename(args[0] ?? command),
    command,
    args,
    cwd: REPO_ROOT,
    // A short warm-up keeps test start-up quick; the benchmark uses the default.
    env: { OTEL_SDK_DISABLED: "true", HOST: "127.0.0.1", WARMUP_ROWS: "2000", ...env, PORT: String(port) },
    stdout: "inherit",
    ready: url + readyPath,
  });
  return {
    url,
    pid: proc.pid,
    process: proc.child,
    logs: proc.logs,
    stop: async (graceMs?: number) => (await proc.stop(graceMs)).code,
  };
}

/** POSTs a JSON value (or a raw string) and returns status and parsed body (`send`: fetch, or a checking one). */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
  send: typeof fetch = fetch,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await send(url, {
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
