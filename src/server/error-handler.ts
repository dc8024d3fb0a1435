/**
 * The one place errors become responses: `{"error": {"code", "message"}}` with the catalog's status.
 * Anything that is not an ApiError is our bug: it is logged and answered as a 500 without details.
 */
import type { ErrorRequestHandler, Response } from "express";
import { ApiError } from "./api-error";

/**
 * `{"error": {"code", "message"}}`, or the Open Inference Protocol's `{"error": "message"}` under /v2, whose
 * clients expect that shape.
 */
export function sendError(res: Response, error: ApiError): void {
  if (error.status === 413) res.setHeader("Connection", "close");
  if (error.status === 405) res.setHeader("Allow", "GET, POST");
  const openInference = res.req.path === "/v2" || res.req.path.startsWith("/v2/");
  res
    .status(error.status)
    .json(openInference ? { error: error.message } : { error: { code: error.code, message: error.message } });
}

export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof ApiError) {
      sendError(res, error);
      return;
    }
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    sendError(res, new ApiError("internal", "internal error"));
  };
}
