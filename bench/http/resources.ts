/**
 * What the server costs, read from /proc by pid: resident memory and CPU time of the server process and all
 * its descendants (Node cluster workers, uvicorn worker processes). Never the load generator's own numbers.
 *
 * - RSS: the sum of VmRSS over the process tree, sampled every `intervalMs` while a run goes on (peak and
 *   mean), and VmHWM (each process's own peak) for the record.
 * - CPU: utime + stime from /proc/<pid>/stat, summed over the tree; a run's cost is the delta across it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";

let clockTicks: number | undefined;

/** Clock ticks per second (USER_HZ), the unit of utime and stime. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return ""; // the process (or thread) ended between listing and reading
  }
}

/** `pid` and all its descendants, through /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const seen: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (seen.includes(p) || !fs.existsSync(`/proc/${p}`)) continue;
    seen.push(p);
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      for (const child of readOrEmpty(`/proc/${p}/task/${tid}/children`).split(/\s+/)) {
        if (child !== "") queue.push(Number(child));
      }
    }
  }
  return seen;
}

function statusKiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readOrEmpty(`/proc/${pid}/status`));
  return match ? Number(match[1]) : 0;
}

export function treeRssKiB(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKiB(p, "VmRSS"), 0);
}

export function treeHwmKiB(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKiB(p, "VmHWM"), 0);
}

/** CPU seconds (user + system) used so far by one process, from /proc/<pid>/stat. */
function processCpuSeconds(pid: number): number {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, so 12 and 13 after the state field.
  const utime = Number(fields[11] ?? 0);
  const stime = Number(fields[12] ?? 0);
  return (utime + stime) / ticksPerSecond();
}

export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + processCpuSeconds(p), 0);
}

export interface RssSamples {
  peakKiB: number;
  meanKiB: number;
  samples: number;
}

/** Samples the tree's RSS every `intervalMs` until `stop()`. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): RssSamples } {
  let peak = treeRssKiB(pid);
  let sum = peak;
  let count = 1;
  const timer = setInterval(() => {
    const rss = treeRssKiB(pid);
    peak = Math.max(peak, rss);
    sum += rss;
    count++;
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakKiB: peak, meanKiB: Math.round(sum / count), samples: count };
    },
  };
}

/**
 * Waits until the given process trees are idle (under `threshold` of a core over 250 ms), at most
 * `timeoutMs`: after a traced run the span exporter and Jaeger keep working for a moment, and that work must
 * not land in the next measurement.
 */
export async function settle(pids: number[], threshold = 0.05, timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const before = pids.reduce((s, p) => s + treeCpuSeconds(p), 0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = pids.reduce((s, p) => s + treeCpuSeconds(p), 0);
    if ((after - before) / 0.25 < threshold) break;
  }
  return Date.now() - t0;
}
