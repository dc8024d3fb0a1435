/**
 * The Go peer (bench/peers/fiber, the seed's Fiber + leaves endpoint) for tests: built by its build.sh with the
 * machine's Go, started on a free loopback port like the other servers, stopped by its pid.
 */
import * as path from "node:path";
import { REPO_ROOT } from "./paths";
import { launch, type RunningServer } from "./server";

export { buildFiberPeer, type PeerBuild } from "../../scripts/lib/fiber-peer";

/** Starts the peer on the bundled model with tracing off unless `env` turns it on (`args`: e.g. ["-floor"]). */
export async function startFiberPeer(
  binary: string,
  env: NodeJS.ProcessEnv = {},
  args: string[] = [],
): Promise<RunningServer> {
  return launch(binary, args, { MODEL_PATH: path.join(REPO_ROOT, "model", "model.txt"), ...env }, "/ready");
}

/** SIGTERM to the peer's process group, SIGKILL after `graceMs`; resolves with the exit code. */
export async function stopPeer(server: RunningServer, graceMs = 10_000): Promise<number | null> {
  return server.stop(graceMs);
}
