/**
 * The Go peer (bench/peers/fiber, the seed's Fiber + leaves endpoint) for tests: built by its build.sh with the
 * machine's Go, started on a free loopback port like the other servers, stopped by its pid.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";
import { launch, type RunningServer } from "./server";

export type PeerBuild = { binary: string; skip?: undefined } | { binary?: undefined; skip: string };

/** Builds (or finds in the cache) the peer's binary; `skip` says why not when Go is missing (exit 3). */
export function buildFiberPeer(): PeerBuild {
  const result = spawnSync("bash", [path.join(REPO_ROOT, "bench", "peers", "fiber", "build.sh")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 900_000,
  });
  if (result.status === 3) return { skip: result.stderr.trim() };
  if (result.status !== 0)
    throw new Error(`bench/peers/fiber/build.sh failed (${result.status}): ${result.stderr}`);
  return { binary: result.stdout.trim() };
}

/** Starts the peer on the bundled model with tracing off unless `env` turns it on. */
export async function startFiberPeer(binary: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return launch(binary, [], { MODEL_PATH: path.join(REPO_ROOT, "model", "model.txt"), ...env }, "/ready");
}

/** SIGTERM to the peer's process group, SIGKILL after `graceMs`; resolves with the exit code. */
export async function stopPeer(server: RunningServer, graceMs = 10_000): Promise<number | null> {
  return server.stop(graceMs);
}
