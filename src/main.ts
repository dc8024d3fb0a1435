/**
 * The composition root: reads the configuration, starts the HTTP server (as one process, or a Node cluster of
 * WORKERS processes sharing the port), loads the model, and shuts down cleanly on SIGTERM/SIGINT: stop
 * accepting, finish requests in flight, flush spans, exit.
 *
 * Start it with tracing: `node --require ./dist/src/telemetry/preload.js dist/src/main.js` (`npm run serve`).
 */
import cluster from "node:cluster";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { Server } from "node:http";
import { ConfigError, loadConfig, type Config } from "./config/config";
import { readModelFile, ModelFileError } from "./config/model-file";
import { warmUpInSlices } from "./evaluator/warm-up";
import { ModelFormatError } from "./model/model-format-error";
import { accessLog } from "./server/access-log";
import { createApp } from "./server/app";
import { closeGracefully } from "./server/drain";
import { busyPollAfterResponses } from "./server/busy-poll";
import { createHttpServer } from "./server/http-server";
import { ModelSlot } from "./server/model-slot";
import { ServedModel } from "./server/served-model";
import { clusterMetricsText, serveClusterMetrics } from "./telemetry/cluster-metrics";
import { createLogger, type Logger } from "./telemetry/logger";
import { Metrics } from "./telemetry/metrics";
import { DEFAULT_SERVICE_NAME } from "./telemetry/names";
import { shutdownTelemetry } from "./telemetry/shutdown";

/** Replaced by the configured logger once the configuration is read; JSON at info level until then. */
let logger: Logger = createLogger({ level: "info", format: "json", service: DEFAULT_SERVICE_NAME });

function fail(message: string): never {
  logger.fatal(message);
  process.exit(1);
}

/** The package's version, from the package.json beside dist/ (npm_package_version is unset outside npm). */
async function readServerVersion(): Promise<string> {
  const file = path.resolve(__dirname, "..", "..", "package.json");
  const { version } = JSON.parse(await fs.readFile(file, "utf8")) as { version?: unknown };
  if (typeof version !== "string") fail(`${file} has no version`);
  return version;
}

async function serve(config: Config): Promise<void> {
  const slot = new ModelSlot();
  const metrics = config.metricsEnabled ? new Metrics() : undefined;
  const app = createApp({
    slot,
    maxBodyBytes: config.maxBodyBytes,
    serverVersion: await readServerVersion(),
    log: (message) => logger.error(message),
    warn: (message) => logger.warn(message),
    metrics,
    before: config.accessLog ? [accessLog(logger)] : [],
    metricsText: metrics !== undefined && cluster.isWorker ? clusterMetricsText(metrics.registry) : undefined,
    limits: config.limits,
  });
  const server: Server = createHttpServer(app, config.timeouts).listen(config.port, config.host);
  busyPollAfterResponses(server, config.busyPollUs);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  logger.info({ url: `http://${config.host}:${port}` }, `listening; loading ${config.modelPath}`);

  let stopping = false;
  /** Aborted by SIGTERM/SIGINT: stops the warm-up at its next slice. */
  const booting = new AbortController();
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    booting.abort();
    logger.info({ signal }, `${signal}: closing; finishing requests in flight`);
    closeGracefully(server, config.shutdownTimeoutMs, () => {
      void shutdownTelemetry()
        .catch((error: unknown) => logger.error({ err: error }, "flushing spans failed"))
        .finally(() => {
          logger.info("stopped");
          process.exit(0);
        });
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  const text = await readModelFile(config.modelPath).catch((error: unknown) =>
    fail(error instanceof ModelFileError ? error.message : String(error)),
  );
  let model: ServedModel;
  try {
    model = ServedModel.fromText(text, config.modelName);
  } catch (error) {
    if (error instanceof ModelFormatError) fail(`${config.modelPath}: ${error.message}`);
    throw error;
  }
  // In slices that yield, so /health and signals are answered while V8 compiles the model's code.
  const warm = await warmUpInSlices(model.predictor, {
    rows: config.warmUpRows,
    maxMs: config.warmUpMaxMs,
    signal: booting.signal,
  });
  if (stopping) return;
  if (metrics !== undefined) model.observer = metrics.modelLoaded(model.info);
  slot.set(model);
  const { name, version, num_trees, num_features } = model.info;
  logger.info(
    {
      model: { name, version, trees: num_trees, features: num_features, path: config.modelPath },
      warm_up: { rows: warm.rows, ms: Math.round(warm.ms) },
    },
    `model loaded: ${name} ${version}, warmed up on ${warm.rows} rows in ${Math.round(warm.ms)} ms`,
  );
  logger.info({ url: `http://${config.host}:${port}` }, `serving on http://${config.host}:${port}`);
}

function primary(config: Config): void {
  logger.info({ workers: config.workers }, `starting ${config.workers} workers`);
  let stopping = false;
  if (config.metricsEnabled) serveClusterMetrics();
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    fail(`worker ${worker.process.pid} exited with code ${code}; stopping`);
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    });
  }
}

function main(): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  logger = createLogger({ level: config.logLevel, format: config.logFormat, service: config.serviceName });
  if (cluster.isPrimary) {
    const { port, host, workers, metricsEnabled, tracingEnabled, logLevel } = config;
    const settings = {
      metrics: metricsEnabled,
      tracing: tracingEnabled,
      access_log: config.accessLog,
      busy_poll_us: config.busyPollUs,
    };
    logger.info({ port, host, workers, ...settings, log_level: logLevel }, "starting");
  }
  if (config.workers > 1 && cluster.isPrimary) primary(config);
  else
    serve(config).catch((error: unknown) =>
      fail(`failed to start: ${error instanceof Error ? error.stack : String(error)}`),
    );
}

main();
