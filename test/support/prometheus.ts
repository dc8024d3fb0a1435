/**
 * A real Prometheus for tests: Debian's `prometheus` package (/usr/bin/prometheus, PROMETHEUS_BIN or PATH), run with
 * a generated configuration on a free loopback port and a temporary storage folder, stopped by its pid.
 * `query` asks its HTTP API (`/api/v1/query`) and returns the instant vector.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPrometheus, prometheusConfig, type ScrapeTarget } from "../../scripts/stack/prometheus";
import { freePort } from "./server";

export const PROMETHEUS_BIN = findPrometheus();

export interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface Prometheus {
  readonly url: string;
  readonly pid: number;
  query(promql: string): Promise<VectorSample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(
  targets: readonly ScrapeTarget[],
  interval = "1s",
): Promise<Prometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prometheus-test-"));
  const config = path.join(dir, "prometheus.yml");
  fs.writeFileSync(config, prometheusConfig(targets, interval));
  const port = await freePort();
  const child = spawn(
    PROMETHEUS_BIN ?? "prometheus",
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, "SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid as number,
    stop,
    query: async (promql) => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
      if (body.data.resultType !== "vector")
        throw new Error(`${promql}: a ${body.data.resultType}, not a vector`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
  };
}
