/**
 * The client process. Every measurement runs here, in its own Node process that the harness spawns per job
 * (optionally pinned with `taskset` to a core the server does not use), so the load generator never shares an
 * event loop or a core with the harness's bookkeeping or with the server it measures.
 *
 * Protocol: the job as JSON on stdin, the result as JSON on stdout.
 */
import { spawn } from "node:child_process";
import { closedLoop, openLoop, type ClosedLoopJob, type LoadResult, type OpenLoopJob } from "./load";
import { runSequential, type SequentialJob, type SequentialRun } from "./latency";
import { runSeedProtocol, type SeedJob, type SeedRun } from "./seed-protocol";

export type ClientJob = ClosedLoopJob | OpenLoopJob | SeedJob | SequentialJob;

type ResultOf<J extends ClientJob> = J extends SeedJob
  ? SeedRun
  : J extends SequentialJob
    ? SequentialRun
    : LoadResult;

async function dispatch(job: ClientJob): Promise<unknown> {
  switch (job.kind) {
    case "closed":
      return closedLoop(job);
    case "open":
      return openLoop(job);
    case "seed":
      return runSeedProtocol(job);
    case "sequential":
      return runSequential(job);
  }
}

/** Runs `job` in a new client process, pinned to `cpus` (a taskset CPU list such as "1") when given. */
export function runClientJob<J extends ClientJob>(job: J, cpus?: string): Promise<ResultOf<J>> {
  const args = [__filename];
  const child = cpus
    ? spawn("taskset", ["-c", cpus, process.execPath, ...args], { stdio: ["pipe", "pipe", "inherit"] })
    : spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`client process (${job.kind}) exited with code ${code}`));
      try {
        resolve(JSON.parse(stdout) as ResultOf<J>);
      } catch (error) {
        reject(new Error(`client process (${job.kind}) wrote no JSON: ${(error as Error).message}`));
      }
    });
  });
}

async function main(): Promise<void> {
  let input = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) input += chunk as string;
  const result = await dispatch(JSON.parse(input) as ClientJob);
  process.stdout.write(JSON.stringify(result));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`client process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
