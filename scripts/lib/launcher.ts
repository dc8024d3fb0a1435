/**
 * The one process launcher of the repository (tests, benchmark, `npm start`): spawn a command in its own process
 * group, wait until a readiness probe passes, keep the tail of its output, and stop the whole group by pid
 * (SIGTERM, then SIGKILL after a grace period).
 *
 *   const server = await launch({ name: "ts", command: "bin/ts-endpoint", env: { PORT: "3000" },
 *                                 ready: "http://127.0.0.1:3000/ready" });
 *   ...
 *   await server.stop();
 *
 * A process still running when this Node process exits normally is killed (SIGKILL to its group), so a failing
 * test or benchmark leaves nothing behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";

/** What decides that a process is ready: a URL that must answer 2xx, or an async check. */
export type ReadyProbe = string | (() => Promise<boolean>);

/** Where one of the child's output streams goes: kept in the log (and the log file), copied to ours, or dropped. */
export type OutputMode = "keep" | "inherit" | "ignore";

export interface LaunchOptions {
  /** Names the process in errors. */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** Merged over this process's environment; a variable set to undefined is removed. */
  env?: NodeJS.ProcessEnv;
  /** Default "keep". */
  stdout?: OutputMode;
  /** Default "keep". */
  stderr?: OutputMode;
  /** Also copy kept output to our stderr as it arrives (for debugging). */
  echo?: boolean;
  /** Also append kept output to this file. */
  logFile?: string;
  /** How much of the kept output `logs()` returns, from the end; default 1 MiB. */
  logTailChars?: number;
  /** Time between SIGTERM and SIGKILL in `stop()`; default 10 s. */
  graceMs?: number;
}

export interface ReadyOptions {
  /** All must pass at once. */
  ready: ReadyProbe | readonly ReadyProbe[];
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** Time between probes; default 100 ms. */
  pollMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface LaunchedProcess {
  readonly name: string;
  /** The pid of the command, which is also its process group's id. */
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  running(): boolean;
  /** The tail of the kept output (stdout and stderr, in arrival order). */
  logs(): string;
  /**
   * SIGTERM to the process group, SIGKILL to the group after `graceMs`; resolves once the process has exited.
   * Safe to call twice or after the process exited by itself.
   */
  stop(graceMs?: number): Promise<Exit>;
}

/** Spawns `options.command` in its own process group; does not wait for anything. */
export function spawnProcess(options: LaunchOptions): LaunchedProcess {
  const stdoutMode = options.stdout ?? "keep";
  const stderrMode = options.stderr ?? "keep";
  const pipeOrNot = (mode: OutputMode) => (mode === "keep" ? "pipe" : mode);
  const child = spawn(options.command, [...(options.args ?? [])], {
    cwd: options.cwd,
    env: Object.fromEntries(
      Object.entries({ ...process.env, ...options.env }).filter(([, value]) => value !== undefined),
    ),
    stdio: ["ignore", pipeOrNot(stdoutMode), pipeOrNot(stderrMode)],
    detached: true, // its own process group: stop() reaches every process it started
  });
  // A command that cannot start is reported through "error" (later) and leaves the pid undefined (now).
  child.once("error", () => undefined);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const pid = child.pid;
  const tailChars = options.logTailChars ?? 1 << 20;
  const file = options.logFile ? fs.createWriteStream(options.logFile, { flags: "a" }) : null;
  let log = "";
  const keep = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    log += text;
    if (log.length > 2 * tailChars) log = log.slice(-tailChars);
    file?.write(chunk);
    if (options.echo) process.stderr.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const exited = new Promise<Exit>((resolve) => {
    child.once("close", (code, signal) => {
      if (file) file.end(() => resolve({ code, signal }));
      else resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    process.removeListener("exit", killOnExit);
  });
  const killOnExit = () => signalGroup(pid, "SIGKILL");
  process.once("exit", killOnExit);

  let stopping: Promise<Exit> | null = null;
  const stop = (graceMs = options.graceMs ?? 10_000): Promise<Exit> => {
    if (hasExited) return exited;
    stopping ??= (async () => {
      signalGroup(pid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    })();
    return stopping;
  };
  return {
    name: options.name,
    pid,
    child,
    exited,
    running: () => !hasExited,
    logs: () => log.slice(-tailChars),
    stop,
  };
}

/**
 * Resolves once every probe passes; throws (with the log tail) if the process exits first or the time runs out.
 * Does not stop the process: `launch()` does that on failure.
 */
export async function waitUntilReady(proc: LaunchedProcess, options: ReadyOptions): Promise<void> {
  const probes = (Array.isArray(options.ready) ? options.ready : [options.ready]) as ReadyProbe[];
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | null = null;
  void proc.exited.then((e) => (exit = e));
  while (true) {
    if (exit !== null) throw startError(proc, `exited during start-up (${describeExit(exit)})`);
    const results = await Promise.all(probes.map((probe) => passes(probe)));
    if (results.every(Boolean) && proc.running()) return;
    if (Date.now() >= deadline) throw startError(proc, `not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}

/** Spawns, waits until ready, and on failure stops the process group before throwing. */
export async function launch(options: LaunchOptions & ReadyOptions): Promise<LaunchedProcess> {
  const proc = spawnProcess(options);
  try {
    await waitUntilReady(proc, options);
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
  return proc;
}

/** True when the URL answers 2xx (the body is read and dropped so the connection is freed). */
export async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** True while a process with this pid exists (signal 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function passes(probe: ReadyProbe): Promise<boolean> {
  return typeof probe === "string" ? answersOk(probe) : probe().catch(() => false);
}

function startError(proc: LaunchedProcess, what: string): Error {
  const tail = proc.logs().slice(-4_000);
  return new Error(`${proc.name} ${what}${tail ? `\n--- ${proc.name} log (tail) ---\n${tail}` : ""}`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
