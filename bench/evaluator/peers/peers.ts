/**
 * The engines the evaluator benchmark compares, behind one interface: how to tell whether it is installed (and
 * why not), how to turn a model.txt into its artifact, and the command of its child process (all children speak
 * the protocol of c/harness.c). Each engine runs in its own process, so load time and RSS are its own.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../../scripts/lib/paths";

export const PEERS_DIR = path.join(REPO_ROOT, "bench", "evaluator", "peers");
const PEERS_PYTHON = path.join(PEERS_DIR, ".venv", "bin", "python");
const MAIN_PYTHON = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
const NODE_CHILD = path.join(REPO_ROOT, "dist", "bench", "evaluator", "peers", "child.js");
const ARTIFACTS = path.join(REPO_ROOT, ".cache", "bench-peers");

export interface Peer {
  readonly name: string;
  readonly label: string;
  /** Whether it has a raw-score output (and so a raw column in the exactness table). */
  readonly raw: boolean;
  /** False for LightGBM's Booster.predict: the parity matrix's expected values are its output. */
  readonly judged: boolean;
  /** Why it cannot run here, or null. */
  unavailable(): string | null;
  /** model.txt → artifact for each job (prepare.py in the peers' .venv where it needs one), or why not. */
  prepare(models: readonly string[], raw: boolean): Prepared[];
  /** The child process: command and leading arguments. */
  command(): [string, string[]];
}

export type Prepared = { artifact: string; seconds: number } | { error: string };

function setupFailure(...names: string[]): string | null {
  for (const name of names) {
    const failed = path.join(PEERS_DIR, ".setup", `${name}.failed`);
    if (fs.existsSync(failed)) return fs.readFileSync(failed, "utf8").trim().replace(/\s+/g, " ");
    if (!fs.existsSync(path.join(PEERS_DIR, ".setup", `${name}.ok`)) && !name.startsWith("c-")) {
      return `not installed (run npm run bench:evaluator:setup)`;
    }
  }
  return null;
}

function missing(file: string): string | null {
  return fs.existsSync(file)
    ? null
    : `${path.relative(REPO_ROOT, file)} is missing (run npm run bench:evaluator:setup)`;
}

const asIs = (models: readonly string[]): Prepared[] => models.map((artifact) => ({ artifact, seconds: 0 }));

/** Runs python/prepare.py for one peer over all models in one process; artifacts are cached by model text. */
function pythonPrepare(peer: string, models: readonly string[], raw: boolean): Prepared[] {
  const jobs = models.map((model) => {
    const key = createHash("sha256").update(fs.readFileSync(model)).digest("hex").slice(0, 16);
    return { model, raw, outdir: path.join(ARTIFACTS, peer, key + (raw ? "-raw" : "")) };
  });
  const out = execFileSync(PEERS_PYTHON, [path.join(PEERS_DIR, "python", "prepare.py"), peer], {
    input: JSON.stringify(jobs),
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    stdio: ["pipe", "pipe", "ignore"],
  });
  return JSON.parse(out) as Prepared[];
}

function cPeer(name: string, label: string, setup: string, prepare: Peer["prepare"], raw = true): Peer {
  const binary = path.join(PEERS_DIR, ".build", name);
  return {
    name,
    label,
    raw,
    judged: true,
    unavailable: () => setupFailure("base", setup, `c-${name}`) ?? missing(binary),
    prepare,
    command: () => [binary, []],
  };
}

function nodePeer(
  name: string,
  label: string,
  raw: boolean,
  unavailable: () => string | null,
  prepare: Peer["prepare"],
): Peer {
  return {
    name,
    label,
    raw,
    judged: true,
    unavailable,
    prepare,
    command: () => [process.execPath, [NODE_CHILD, name]],
  };
}

export const PEERS: readonly Peer[] = [
  nodePeer("ours-compiled", "ours, compiled", true, () => null, asIs),
  nodePeer("ours-reference", "ours, reference", true, () => null, asIs),
  {
    name: "lightgbm-python",
    label: "LightGBM Booster.predict (Python)",
    raw: true,
    judged: false,
    unavailable: () => missing(MAIN_PYTHON),
    prepare: asIs,
    command: () => [MAIN_PYTHON, [path.join(PEERS_DIR, "python", "child.py")]],
  },
  cPeer("lightgbm_capi", "LightGBM C API (from C)", "base", asIs),
  cPeer("lleaves", "lleaves (LLVM, from C)", "lleaves", (m, raw) => pythonPrepare("lleaves", m, raw)),
  // tl2cgen's raw scores come from the same library (pred_margin=1).
  cPeer("tl2cgen", "tl2cgen (generated C)", "tl2cgen", (m) => pythonPrepare("tl2cgen", m, false)),
  nodePeer(
    "m2cgen",
    "m2cgen (generated JavaScript)",
    false,
    () => setupFailure("base", "m2cgen"),
    (m) => pythonPrepare("m2cgen", m, false),
  ),
  nodePeer(
    "onnxruntime",
    "onnxruntime-node (onnxmltools, float32)",
    false,
    () => setupFailure("base", "onnx", "onnxruntime-node"),
    (m) => pythonPrepare("onnx", m, false),
  ),
];

/** The peers named in --peers (all when empty), each with why it is skipped, if it is. */
export function choosePeers(names: readonly string[]): { peer: Peer; skipped: string | null }[] {
  const unknown = names.filter((n) => !PEERS.some((p) => p.name === n));
  if (unknown.length > 0)
    throw new Error(`unknown peer(s) ${unknown.join(", ")}; known: ${PEERS.map((p) => p.name).join(", ")}`);
  return PEERS.filter((p) => names.length === 0 || names.includes(p.name)).map((peer) => ({
    peer,
    skipped: peer.unavailable(),
  }));
}
