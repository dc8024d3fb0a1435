/** Versions of what runs: Node and Express here, Python and its packages from the project's venv, Go (null if absent). */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/lib/paths";

const execFileAsync = promisify(execFile);

const PYTHON_SCRIPT = [
  "import json, platform, importlib.metadata as m",
  "names = ['lightgbm', 'fastapi', 'uvicorn', 'numpy', 'opentelemetry-sdk']",
  "v = {}",
  "for n in names:",
  "    try: v[n] = m.version(n)",
  "    except Exception: v[n] = None",
  "v['python'] = platform.python_version()",
  "print(json.dumps(v))",
].join("\n");

async function output(file: string, args: string[]): Promise<string | null> {
  try {
    return (await execFileAsync(file, args, { encoding: "utf8", cwd: REPO_ROOT })).stdout.trim();
  } catch {
    return null;
  }
}

export async function versions(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {
    node: process.version,
    python: null,
    lightgbm: null,
    fastapi: null,
    uvicorn: null,
    numpy: null,
    "opentelemetry-sdk": null,
  };
  const python = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
  // No venv (e.g. inside the compose bench container): the Python versions stay null.
  const py = await output(python, ["-c", PYTHON_SCRIPT]);
  if (py) Object.assign(out, JSON.parse(py) as Record<string, string | null>);
  out.express = await output(process.execPath, ["-p", "require('express/package.json').version"]);
  out.go = (await output("go", ["env", "GOVERSION"])) || null;
  return out;
}
