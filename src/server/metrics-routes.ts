/**
 * The HTTP side of the metrics: a middleware that counts and times every request when its response ends
 * (labelled with the route template as the README writes it, `/v2/models/{name}/infer`, or "unmatched"), and
 * GET /metrics in the Prometheus text format.
 */
import { performance } from "node:perf_hooks";
import type { Express, RequestHandler } from "express";
import type { Metrics } from "../telemetry/metrics";
import { onRequestEnd } from "./request-end";

export const UNMATCHED_ROUTE = "unmatched";

/** Express's `/v2/models/:name` → the contract's `/v2/models/{name}`, computed once per route. */
const templates = new Map<string, string>();
function template(expressPath: unknown): string {
  if (typeof expressPath !== "string") return UNMATCHED_ROUTE;
  let found = templates.get(expressPath);
  if (found === undefined) {
    found = expressPath.replace(/:(\w+)/g, "{$1}");
    templates.set(expressPath, found);
  }
  return found;
}

export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    metrics.inFlight++;
    onRequestEnd(res, () => {
      metrics.inFlight--;
      const route = template((req.route as { path?: unknown } | undefined)?.path);
      metrics.recordRequest(req.method, route, res.statusCode, (performance.now() - start) / 1000);
    });
    next();
  };
}

/** GET /metrics; `text` is this process's registry, or the cluster's sum when WORKERS > 1. */
export function metricsRoute(app: Express, contentType: string, text: () => Promise<string>): void {
  app.get("/metrics", async (_req, res) => {
    const body = await text();
    res.setHeader("Content-Type", contentType);
    res.send(body);
  });
}
