/**
 * Prometheus for `npm start` and the tests: where its binary is (PROMETHEUS_BIN, else Debian's
 * /usr/bin/prometheus, else `prometheus` on PATH) and the scrape configuration for a set of targets.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ScrapeTarget {
  readonly job: string;
  /** host:port */
  readonly address: string;
}

/** The binary's path, or undefined where there is none. */
export function findPrometheus(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PROMETHEUS_BIN) return fs.existsSync(env.PROMETHEUS_BIN) ? env.PROMETHEUS_BIN : undefined;
  const dirs = ["/usr/bin", ...(env.PATH ?? "").split(path.delimiter).filter((d) => d !== "")];
  return dirs.map((d) => path.join(d, "prometheus")).find((p) => fs.existsSync(p));
}

export function prometheusConfig(targets: readonly ScrapeTarget[], interval: string): string {
  const jobs = targets
    .map((t) => `  - job_name: ${t.job}\n    static_configs:\n      - targets: ["${t.address}"]\n`)
    .join("");
  return `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\nscrape_configs:\n${jobs}`;
}
