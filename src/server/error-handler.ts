/**
 * The one place errors become responses: `{"error": {"code", "message"}}` with the catalog's status (under
 * /v2, the Open Inference Protocol's `{"error": "message"}`). Domain errors are mapped here too: the
 * evaluator's PredictionError, and the URIError Express throws for a path that is not valid percent-encoding.
 * A client that went away gets no answer and one quiet log line; anything else is our bug: it is logged with
 * its stack and answered as a 500 without details.
 */
import { trace } from "@opentelemetry/api";
import type { ErrorRequestHandler, Response } from "express";
import { PredictionError } from "../evaluator/prediction-error";
import { ApiError } from "./api-error";
import { isClientGone, type QuietLog } from "./client-gone";
import { lingerAfterEarlyAnswer } from "./linger";

export function sendError(res: Response, error: ApiError): void {
  if (error.status === 405) res.setHeader("Allow", "GET, POST");
  const openInference = res.req.path === "/v2" || res.req.path.startsWith("/v2/");
  res
    .status(error.status)
    .json(openInference ? { error: error.message } : { error: { code: error.code, message: error.message } });
}

/** The API error a thrown value stands for, or undefined when it is a bug. */
export function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof PredictionError) {
    return new ApiError(
      error.code === "unsupported_output" ? "unsupported_output" : "invalid_request",
      error.message,
    );
  }
  if (error instanceof URIError) {
    return new ApiError("bad_request", `the path is not valid percent-encoding: ${error.message}`);
  }
  return undefined;
}

export function errorHandler(log: (message: string) => void, quiet: QuietLog): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (isClientGone(error, req)) {
      quiet.clientGone(req.method, req.originalUrl);
      return;
    }
    if (res.headersSent) {
      next(error);
      return;
    }
    const apiError = toApiError(error);
    if (apiError !== undefined) {
      if (!req.complete) lingerAfterEarlyAnswer(req, res);
      sendError(res, apiError);
      return;
    }
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (error instanceof Error) trace.getActiveSpan()?.recordException(error); // the server span, when traced
    sendError(res, new ApiError("internal", "internal error"));
  };
}
