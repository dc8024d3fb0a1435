/**
 * The endpoint's configuration, read once from the environment by the composition root, validated and frozen.
 * Tracing is configured by the standard OTEL_* variables, read by the OpenTelemetry SDK itself
 * (see src/telemetry/preload.ts); only OTEL_SDK_DISABLED is surfaced here, for the logs.
 */
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_BUSY_POLL_US } from "../server/busy-poll";
import type { ServerTimeouts } from "../server/http-server";
import { DEFAULT_LIMITS, type RequestLimits } from "../server/request-limits";
import { LOG_LEVELS, type LogFormat, type LogLevel } from "../telemetry/logger";
import { DEFAULT_SERVICE_NAME } from "../telemetry/names";

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly modelPath: string;
  readonly modelName: string;
  readonly maxBodyBytes: number;
  /** Worker processes: 1 serves from the main process; more forks a Node cluster. */
  readonly workers: number;
  /** Synthetic rows run through the model before /ready turns green, so V8 has compiled the trees (0: none). */
  readonly warmUpRows: number;
  /** Upper bound on the warm-up's duration, whatever the row count. */
  readonly warmUpMaxMs: number;
  /** Grace period for requests in flight after SIGTERM, in milliseconds. */
  readonly shutdownTimeoutMs: number;
  readonly tracingEnabled: boolean;
  /** GET /metrics and the per-request counting behind it. */
  readonly metricsEnabled: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** One log line per request (off by default: it costs a write per request). */
  readonly accessLog: boolean;
  /** The `service` field of the logs: OTEL_SERVICE_NAME, as in the traces. */
  readonly serviceName: string;
  /** Work per request: MAX_ROWS, MAX_OUTPUT_VALUES, MAX_INFERENCE_MS, WRITE_TIMEOUT_MS (request-limits.ts). */
  readonly limits: RequestLimits;
  /** HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS (src/server/http-server.ts). */
  readonly timeouts: ServerTimeouts;
  /** BUSY_POLL_US: how long the event loop polls without blocking after each response (busy-poll.ts; 0: never). */
  readonly busyPollUs: number;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const DEFAULT_MODEL_PATH = path.resolve(__dirname, "..", "..", "..", "model", "model.txt");

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function workers(env: NodeJS.ProcessEnv): number {
  const raw = env.WORKERS?.trim();
  if (raw === "all" || raw === "0") return os.availableParallelism();
  return integer(env, "WORKERS", 1, 1, 1024);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${values.join(", ")}, got "${env[name]}"`);
  }
  return raw as T;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = readConfig(env);
  if (config.timeouts.headersTimeoutMs > config.timeouts.requestTimeoutMs) {
    throw new ConfigError("HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS");
  }
  return config;
}

function readConfig(env: NodeJS.ProcessEnv): Config {
  return Object.freeze({
    port: integer(env, "PORT", 3000, 0, 65535),
    host: env.HOST?.trim() || "0.0.0.0",
    modelPath: path.resolve(env.MODEL_PATH?.trim() || DEFAULT_MODEL_PATH),
    modelName: env.MODEL_NAME?.trim() || "model",
    maxBodyBytes: integer(env, "MAX_BODY_BYTES", 1024 * 1024, 1, 1024 * 1024 * 1024),
    workers: workers(env),
    warmUpRows: integer(env, "WARMUP_ROWS", 5_000, 0, 10_000_000),
    warmUpMaxMs: integer(env, "WARMUP_MAX_MS", 10_000, 0, 600_000),
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    tracingEnabled: env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== "true",
    metricsEnabled: env.METRICS_ENABLED?.trim().toLowerCase() !== "false",
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    logFormat: oneOf(env, "LOG_FORMAT", ["json", "pretty"] as const, "json"),
    accessLog: env.ACCESS_LOG?.trim().toLowerCase() === "true",
    serviceName: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME,
    limits: Object.freeze({
      maxRows: integer(env, "MAX_ROWS", DEFAULT_LIMITS.maxRows, 1, 100_000_000),
      maxOutputValues: integer(env, "MAX_OUTPUT_VALUES", DEFAULT_LIMITS.maxOutputValues, 1, 1_000_000_000),
      maxInferenceMs: integer(env, "MAX_INFERENCE_MS", DEFAULT_LIMITS.maxInferenceMs, 1, 3_600_000),
      writeTimeoutMs: integer(env, "WRITE_TIMEOUT_MS", DEFAULT_LIMITS.writeTimeoutMs, 1, 3_600_000),
    }),
    timeouts: Object.freeze({
      headersTimeoutMs: integer(env, "HEADERS_TIMEOUT_MS", 10_000, 1, 3_600_000),
      requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 1, 3_600_000),
    }),
    busyPollUs: integer(env, "BUSY_POLL_US", DEFAULT_BUSY_POLL_US, 0, 10_000),
  });
}
