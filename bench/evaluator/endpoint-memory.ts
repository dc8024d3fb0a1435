/**
 * The endpoint's memory with the seed model: starts the real server (bin/ts-endpoint's command line, with and
 * without --no-concurrent-recompilation), waits for /ready, sends single-row requests, and prints the server
 * process's VmRSS and VmHWM from /proc/<pid>/status after /ready and after the requests.
 *
 *   node dist/bench/evaluator/endpoint-memory.js [--requests 3000]
 *
 * FLAGS="--no-concurrent-recompilation --max-semi-space-size=2" measures one other set of node flags instead.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { launch } from "../../scripts/lib/launcher";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { freePort } from "../../scripts/lib/ports";

function status(pid: number): { rss: number; hwm: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(text)?.[1] ?? NaN);
  return { rss: kib("VmRSS") / 1024, hwm: kib("VmHWM") / 1024 };
}

async function measure(flags: string[], requests: number): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await launch({
    name: "ts-endpoint",
    command: process.execPath,
    args: [...flags, path.join(REPO_ROOT, "dist", "src", "main.js")],
    env: { OTEL_SDK_DISABLED: "true", HOST: "127.0.0.1", PORT: String(port) },
    ready: `${url}/ready`,
  });
  try {
    const ready = status(server.pid);
    const row = Array.from({ length: 20 }, (_, i) => Math.sin(i));
    for (let i = 0; i < requests; i++) {
      row[i % 20] = Math.cos(i);
      const res = await fetch(`${url}/inference`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ data: row }),
      });
      await res.arrayBuffer();
    }
    const after = status(server.pid);
    const mib = (x: number): string => x.toFixed(0);
    return `| ${flags.join(" ") || "(none)"} | ${mib(ready.rss)} | ${mib(after.rss)} | ${mib(after.hwm)} |`;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--requests");
  const requests = i > 0 ? Number(process.argv[i + 1]) : 3000;
  console.log(`seed model, tracing off, ${requests} single-row requests; MiB from /proc/<pid>/status`);
  console.log("| node flags | VmRSS at /ready | VmRSS after requests | VmHWM |");
  console.log("|---|---:|---:|---:|");
  const variants = process.env.FLAGS
    ? [process.env.FLAGS.split(" ")]
    : [["--no-concurrent-recompilation"], []];
  for (const flags of variants) console.log(await measure(flags, requests));
}

void main();
