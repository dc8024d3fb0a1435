/**
 * `npm run bench -- [--profile full|quick|tiny|seed] [--targets local|compose|URLS] [--out DIR] [--images DIR]
 * [--no-plots]`, or `npm run bench -- --report RESULT.json` to redraw latest.md and the plots from a saved run.
 *
 * Runs the harness, writes the JSON and Markdown (bench/results/ by default), then draws the plots with
 * bench/plots.py (the project's venv Python, matplotlib) into images/. Prints the cost ladder and then the
 * paths it wrote and the summary as JSON. BENCH_PROFILE sets the default profile (the notebook's CI run uses it).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runBenchmark } from "./harness";
import { ladderTable } from "./markdown-ladder";
import { renderMarkdown } from "./markdown";
import { PROFILE_NAMES, type ProfileName } from "./profiles";
import type { BenchResult } from "./result";
import { writeResults } from "./write-results";
import { REPO_ROOT } from "../../scripts/lib/paths";

interface Args {
  profile: ProfileName;
  targets: string;
  out: string;
  images: string;
  plots: boolean;
  /** Re-render latest.md and the plots from this result JSON instead of running. */
  report: string | null;
}

const USAGE =
  "usage: npm run bench -- [--profile full|quick|tiny|seed] [--targets local|compose|ts=URL,control=URL] " +
  "[--out DIR] [--images DIR] [--no-plots] | --report RESULT.json";

function parseArgs(argv: string[]): Args {
  const args: Args = {
    profile: (process.env.BENCH_PROFILE as ProfileName | undefined) ?? "full",
    targets: "local",
    out: path.join(REPO_ROOT, "bench", "results"),
    images: path.join(REPO_ROOT, "images"),
    plots: true,
    report: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--profile") args.profile = value() as ProfileName;
    else if (flag === "--targets") args.targets = value();
    else if (flag === "--out") args.out = path.resolve(value());
    else if (flag === "--images") args.images = path.resolve(value());
    else if (flag === "--no-plots") args.plots = false;
    else if (flag === "--report") args.report = path.resolve(value());
    else if (flag === "--help" || flag === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}\n${USAGE}`);
  }
  if (!PROFILE_NAMES.includes(args.profile)) throw new Error(`unknown profile ${args.profile}\n${USAGE}`);
  return args;
}

/** Runs bench/plots.py; returns false (with a warning) when Python or matplotlib is not there. */
function plot(json: string, images: string): boolean {
  const python = process.env.PYTHON ?? path.join(REPO_ROOT, ".venv", "bin", "python");
  if (!fs.existsSync(python) && process.env.PYTHON === undefined) {
    process.stderr.write(`plots skipped: no ${python} (run npm run setup:python)\n`);
    return false;
  }
  const res = spawnSync(python, [path.join(REPO_ROOT, "bench", "plots.py"), json, images], {
    stdio: "inherit",
  });
  if (res.status !== 0) {
    process.stderr.write(`plots failed (exit ${res.status ?? res.signal})\n`);
    return false;
  }
  return true;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.report !== null) {
    // Tables and plots come from the JSON alone, so they can be redrawn without measuring again.
    const result = JSON.parse(fs.readFileSync(args.report, "utf8")) as BenchResult;
    const markdown = path.join(path.dirname(args.report), "latest.md");
    fs.writeFileSync(markdown, renderMarkdown(result, path.basename(args.report)));
    if (args.plots) plot(args.report, args.images);
    process.stderr.write(`rendered ${markdown}${args.plots ? ` and the plots in ${args.images}` : ""}\n`);
    return;
  }
  const t0 = Date.now();
  const log = (message: string) =>
    process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
  log(`profile ${args.profile}, targets ${args.targets}`);
  const result = await runBenchmark({ profile: args.profile, targets: args.targets, log });
  const written = writeResults(result, args.out);
  log(`wrote ${written.json} and ${written.markdown}`);
  for (const ladder of result.ladder)
    process.stdout.write(
      `The cost ladder, ${ladder.variant}${ladder.serverCpuBusy ? ", servers' CPU kept busy" : ""} (µs per call, median):\n${ladderTable(ladder)}\n`,
    );
  for (const s of result.skipped) process.stdout.write(`${s.role} skipped: ${s.reason}\n`);
  if (args.plots && plot(written.json, args.images)) log(`plots in ${args.images}`);
  process.stdout.write(`${JSON.stringify({ ...written, summary: result.summary }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
