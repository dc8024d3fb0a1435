/**
 * Writes one run: `<out>/<timestamp>.json` (everything, every sample; the only copy) and `<out>/latest.md`
 * (tables generated from that JSON, naming it). The newest result is the newest timestamped JSON file: there is
 * no latest.json copy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderMarkdown } from "./markdown";
import type { BenchResult } from "./result";

/** Result files are named by their start time, so they sort in time order. */
const RESULT_FILE = /^\d{4}-\d{2}-\d{2}T[\d-]+Z\.json$/;

export function writeResults(result: BenchResult, outDir: string): { json: string; markdown: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const json = path.join(outDir, `${result.startedAt.replace(/[:.]/g, "-")}.json`);
  const markdown = path.join(outDir, "latest.md");
  fs.writeFileSync(json, JSON.stringify(result, null, 1) + "\n");
  fs.writeFileSync(markdown, renderMarkdown(result, path.basename(json)));
  return { json, markdown };
}

/** The newest result JSON in `dir`, or null. */
export function latestResult(dir: string): string | null {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => RESULT_FILE.test(name)) : [];
  return files.length ? path.join(dir, files.sort().at(-1)!) : null;
}
