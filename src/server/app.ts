/**
 * The app factory: routes, 404/405 and the error handler, around a model slot. It does not listen; main.ts
 * (or a test) does, so tests build an app, listen on port 0 and close it.
 */
import express, { type Express, type RequestHandler } from "express";
import { ApiError } from "./api-error";
import { QuietLog } from "./client-gone";
import { errorHandler } from "./error-handler";
import type { Metrics } from "../telemetry/metrics";
import { metricsRoute, requestMetrics } from "./metrics-routes";
import type { ModelSlot } from "./model-slot";
import { openInferenceRoutes } from "./open-inference";
import { openApiRoute } from "./openapi";
import { DEFAULT_LIMITS, type RequestLimits } from "./request-limits";
import { apiRoutes } from "./routes";
import { serverSpans } from "../telemetry/server-spans";

export interface AppOptions {
  readonly slot: ModelSlot;
  readonly maxBodyBytes: number;
  readonly serverVersion: string;
  readonly log?: (message: string) => void;
  /** Where the quiet lines go (clients that hang up); `log` when absent. */
  readonly warn?: (message: string) => void;
  /** Counts and times requests and serves GET /metrics; absent with METRICS_ENABLED=false. */
  readonly metrics?: Metrics;
  /** The /metrics text: the cluster's sum when WORKERS > 1; this process's registry by default. */
  readonly metricsText?: () => Promise<string>;
  /** Middleware that sees every request first (the access log). */
  readonly before?: readonly RequestHandler[];
  /** Rows, output values and evaluation time per request (DEFAULT_LIMITS when absent). */
  readonly limits?: RequestLimits;
}

/** Paths that exist, for telling 405 (wrong method) from 404 (no such path). */
const KNOWN_PATHS = [
  /^\/inference$/,
  /^\/(health|ready|model)$/,
  /^\/openapi\.json$/,
  /^\/v2(\/health\/(live|ready))?$/,
  /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?(\/ready|\/infer)?$/,
];

export function createApp({
  slot,
  maxBodyBytes,
  serverVersion,
  log = console.error,
  warn = log,
  metrics,
  metricsText,
  before = [],
  limits = DEFAULT_LIMITS,
}: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  const spans = serverSpans();
  if (spans !== undefined) app.use(spans);
  for (const handler of before) app.use(handler);
  if (metrics !== undefined) app.use(requestMetrics(metrics));
  apiRoutes(app, slot, maxBodyBytes, limits);
  app.use(openInferenceRoutes(slot, maxBodyBytes, serverVersion, limits));
  // Routes on the app itself, after the inference routes: a nested Router would be entered by every request.
  if (metrics !== undefined) metricsRoute(app, metrics.contentType, metricsText ?? (() => metrics.text()));
  openApiRoute(app);
  app.use((req) => {
    if (KNOWN_PATHS.some((p) => p.test(req.path))) {
      throw new ApiError("method_not_allowed", `${req.method} is not allowed on ${req.path}`);
    }
    throw new ApiError("not_found", `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log, new QuietLog(warn)));
  return app;
}
