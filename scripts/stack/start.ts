/**
 * `npm start`: the whole stack without Docker, on the same ports as docker compose:
 *   Jaeger (built from its Go module)  OTLP 4317/4318, query API and UI http://localhost:16686
 *   FastAPI control                    http://localhost:8000
 *   TypeScript endpoint                http://localhost:3000
 *   Prometheus, where installed        http://localhost:9090, scraping both endpoints' /metrics every 5 s
 * Waits until all are ready, prints their URLs, and on Ctrl-C or SIGTERM stops the endpoints first (so
 * their last spans reach Jaeger), then Jaeger. If any of them dies, it stops the others and exits with 1.
 * Ports: TS_PORT, CONTROL_PORT, PROMETHEUS_PORT, JAEGER_QUERY_HTTP_PORT, JAEGER_OTLP_HTTP_PORT, JAEGER_OTLP_GRPC_PORT.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnProcess, waitUntilReady, describeExit, type LaunchedProcess } from "../lib/launcher";
import { REPO_ROOT as ROOT } from "../lib/paths";
import { findPrometheus, prometheusConfig } from "./prometheus";

interface Service {
  readonly name: string;
  readonly url: string;
  readonly readyUrl: string;
  readonly proc: LaunchedProcess;
}

const env = process.env;
const port = (name: string, fallback: number): string => env[name]?.trim() || String(fallback);
const ports = {
  ts: port("TS_PORT", 3000),
  control: port("CONTROL_PORT", 8000),
  prometheus: port("PROMETHEUS_PORT", 9090),
  query: port("JAEGER_QUERY_HTTP_PORT", 16686),
  otlpHttp: port("JAEGER_OTLP_HTTP_PORT", 4318),
  otlpGrpc: port("JAEGER_OTLP_GRPC_PORT", 4317),
  queryGrpc: port("JAEGER_QUERY_GRPC_PORT", 16685),
};
const otlp = {
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlpHttp}`,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
};

function log(message: string): void {
  process.stdout.write(`[stack] ${message}\n`);
}

function launch(
  name: string,
  command: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv,
  url: string,
  readyPath: string,
): Service {
  // Each service in its own process group (the launcher's way): Ctrl-C in a terminal signals the whole
  // foreground group, which would stop Jaeger before the endpoints have flushed their spans. Only this script
  // receives it; it stops them in order (endpoints, then Jaeger).
  const proc = spawnProcess({
    name,
    command,
    args,
    cwd: ROOT,
    env: extraEnv,
    stdout: "inherit",
    stderr: "inherit",
  });
  return { name, url, readyUrl: url + readyPath, proc };
}

/**
 * Prometheus with its configuration and data in a temporary folder of this run (a data folder is locked by one
 * Prometheus at a time), removed when the stack exits.
 */
function launchPrometheus(binary: string): Service {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lightgbm-ts-serving-prometheus-"));
  process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, "prometheus.yml");
  const targets = [
    { job: "ts-endpoint", address: `127.0.0.1:${ports.ts}` },
    { job: "fastapi-control", address: `127.0.0.1:${ports.control}` },
  ];
  fs.writeFileSync(config, prometheusConfig(targets, "5s"));
  const args = [
    `--config.file=${config}`,
    `--storage.tsdb.path=${path.join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${ports.prometheus}`,
    "--log.level=warn",
  ];
  return launch("prometheus", binary, args, {}, `http://localhost:${ports.prometheus}`, "/-/ready");
}

async function stopAll(services: Service[]): Promise<void> {
  // Endpoints first, so the spans they flush on SIGTERM still find Jaeger running.
  for (const group of [
    services.filter((s) => s.name !== "jaeger"),
    services.filter((s) => s.name === "jaeger"),
  ]) {
    await Promise.all(group.map((s) => s.proc.stop(15_000)));
  }
}

async function main(): Promise<void> {
  const jaegerBin = execFileSync("bash", [path.join(ROOT, "scripts", "jaeger", "ensure.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  const services: Service[] = [];
  let stopping = false;
  const shutdown = async (code: number, why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping`);
    await stopAll(services);
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));

  services.push(
    launch(
      "jaeger",
      jaegerBin,
      ["--config", path.join(ROOT, "scripts", "jaeger", "config.yaml")],
      {
        JAEGER_HOST: env.JAEGER_HOST ?? "127.0.0.1",
        JAEGER_QUERY_HTTP_PORT: ports.query,
        JAEGER_OTLP_HTTP_PORT: ports.otlpHttp,
        JAEGER_OTLP_GRPC_PORT: ports.otlpGrpc,
        JAEGER_QUERY_GRPC_PORT: ports.queryGrpc,
        JAEGER_LOG_LEVEL: env.JAEGER_LOG_LEVEL ?? "warn",
      },
      `http://localhost:${ports.query}`,
      "/api/v3/services",
    ),
  );
  services.push(
    launch(
      "fastapi-control",
      "bash",
      [path.join(ROOT, "control", "run.sh")],
      { ...otlp, PORT: ports.control },
      `http://localhost:${ports.control}`,
      "/ready",
    ),
    launch(
      "ts-endpoint",
      path.join(ROOT, "bin", "ts-endpoint"),
      [],
      { ...otlp, PORT: ports.ts },
      `http://localhost:${ports.ts}`,
      "/ready",
    ),
  );
  const prometheus = findPrometheus();
  if (prometheus === undefined)
    log("Prometheus: no binary (apt-get install prometheus); /metrics is served all the same");
  else services.push(launchPrometheus(prometheus));
  for (const s of services) {
    void s.proc.exited.then((exit) => shutdown(1, `${s.name} exited (${describeExit(exit)})`));
  }
  try {
    await Promise.all(
      services.map((s) =>
        waitUntilReady(s.proc, { ready: s.readyUrl, readyTimeoutMs: 120_000, pollMs: 200 }),
      ),
    );
  } catch (error) {
    await shutdown(1, (error as Error).message);
    return;
  }
  log("ready:");
  log(`  TypeScript endpoint  ${services[2].url}   (POST /inference, GET /model, /v2/models/model/infer)`);
  log(`  FastAPI control      ${services[1].url}`);
  log(
    `  Jaeger               ${services[0].url}   (query API /api/v3/traces; services ts-endpoint, fastapi-control)`,
  );
  if (prometheus !== undefined)
    log(`  Prometheus           ${services[3].url}   (jobs ts-endpoint, fastapi-control; GET /api/v1/query)`);
  log(`Ctrl-C stops all ${services.length}.`);
}

void main();
