/**
 * The access log (ACCESS_LOG=true): one line per request when its response ends, with the ids of the request's
 * server span, so the line leads to the trace in Jaeger.
 */
import { performance } from "node:perf_hooks";
import type { RequestHandler } from "express";
import type { Logger } from "../telemetry/logger";
import { spanFields } from "../telemetry/logger";
import { onRequestEnd } from "./request-end";

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    const ids = spanFields();
    onRequestEnd(res, () => {
      logger.info(
        {
          ...ids,
          method: req.method,
          path: req.originalUrl,
          status: res.statusCode,
          duration_ms: Math.round((performance.now() - start) * 1000) / 1000,
        },
        "request",
      );
    });
    next();
  };
}
