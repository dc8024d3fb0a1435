/** Runs the project's Python (the virtual environment made by scripts/setup-python.sh). */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "./paths";

export const PYTHON = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");

export function runPython(args: string[], options: { timeoutMs?: number } = {}): string {
  return execFileSync(PYTHON, args, {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}
