/**
 * Reads a log of `node --trace-gc-nvp` lines (gc-per-call.sh) and prints, for the lines after the "load from
 * here" mark: the scavenges and the other collections, their mean and largest pause, the mean bytes each scavenge
 * promoted to the old generation, and the total pause per call.
 *
 *   node dist/bench/profile/gc-summary.js <log> --calls n
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";

/** One --trace-gc-nvp line: `key=value` pairs, `gc=s` for a scavenge. */
function parseNvp(line: string): Map<string, string> {
  return new Map(
    line
      .split(/\s+/)
      .filter((kv) => kv.includes("="))
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { calls: { type: "string" } },
  });
  const calls = Number(values.calls);
  const lines = fs.readFileSync(positionals[0], "utf8").split("\n");
  const from = lines.findIndex((l) => l.startsWith("load from here"));
  const events = lines.slice(from + 1).flatMap((l) => (/\bgc=/.test(l) ? [parseNvp(l)] : []));
  const pause = (e: Map<string, string>) => Number(e.get("pause") ?? 0);
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const scavenges = events.filter((e) => e.get("gc") === "s");
  const others = events.filter((e) => e.get("gc") !== "s");
  const total = events.reduce((s, e) => s + pause(e), 0);
  console.log(
    `${scavenges.length} scavenges: mean pause ${mean(scavenges.map(pause)).toFixed(3)} ms, ` +
      `largest ${Math.max(0, ...scavenges.map(pause)).toFixed(2)} ms, ` +
      `promoted ${(mean(scavenges.map((e) => Number(e.get("promoted") ?? 0))) / 1024).toFixed(0)} KiB each`,
  );
  console.log(
    `${others.length} other collections: ${others.reduce((s, e) => s + pause(e), 0).toFixed(1)} ms`,
  );
  console.log(`GC pause per call: ${((total * 1000) / calls).toFixed(2)} µs over ${calls} calls`);
}

if (require.main === module) main();
