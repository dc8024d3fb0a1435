/**
 * The Go peer (bench/peers/fiber, the seed's Fiber + leaves endpoint): built by its build.sh with the machine's
 * Go and cached there. Where Go (or the build script) is missing, `skip` says why, so callers can leave the Go
 * column out with that reason instead of faking it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

export type PeerBuild = { binary: string; skip?: undefined } | { binary?: undefined; skip: string };

/** Builds (or finds in the cache) the peer's binary; `skip` says why not when Go is missing (exit 3). */
export function buildFiberPeer(): PeerBuild {
  const script = path.join(REPO_ROOT, "bench", "peers", "fiber", "build.sh");
  if (!fs.existsSync(script)) return { skip: "not built: bench/peers/fiber/build.sh missing" };
  const result = spawnSync("bash", [script], {
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
