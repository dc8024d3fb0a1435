/**
 * The seed-compatible API: POST /inference, GET /health, GET /ready, GET /model.
 */
import type { IRouter, Request, Response } from "express";
import { toRows } from "../evaluator/rows-out";
import { parseInferenceRequest } from "./inference-request";
import { readJsonBody } from "./json-body";
import type { ModelSlot } from "./model-slot";
import { ApiError } from "./api-error";
import { DEFAULT_LIMITS, predictWithinLimits, type RequestLimits } from "./request-limits";
import { sendJson } from "./send-json";
import { guardSlowReader } from "./write-timeout";

/**
 * Registers the routes on `router` (the app itself: a nested Router costs a second dispatch per request,
 * measured on the seed protocol).
 */
export function apiRoutes(
  router: IRouter,
  slot: ModelSlot,
  maxBodyBytes: number,
  limits: RequestLimits = DEFAULT_LIMITS,
): void {
  router.post("/inference", async (req: Request, res: Response) => {
    const model = slot.get();
    const request = parseInferenceRequest(await readJsonBody(req, maxBodyBytes), model.schema, limits);
    const pending = predictWithinLimits(model, request.rows, request.count, request.options, limits);
    const predictions = pending instanceof Promise ? await pending : pending;
    const rows = toRows(predictions, request.options.output);
    sendJson(res, 200, request.single ? { prediction: rows[0] } : { predictions: rows });
    guardSlowReader(res, limits.writeTimeoutMs);
  });

  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });

  router.get("/ready", (_req, res) => {
    if (!slot.ready) throw new ApiError("not_ready", "the model is still loading");
    res.json({ status: "ready" });
  });

  router.get("/model", (_req, res) => {
    res.json(slot.get().info);
  });
}
