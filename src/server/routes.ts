/**
 * The seed-compatible API: POST /inference, GET /health, GET /ready, GET /model.
 */
import { Router, type Request, type Response } from "express";
import { toRows } from "../evaluator/rows-out";
import { parseInferenceRequest } from "./inference-request";
import { readJsonBody } from "./json-body";
import type { ModelSlot } from "./model-slot";
import { ApiError } from "./api-error";
import { sendJson } from "./send-json";

export function apiRoutes(slot: ModelSlot, maxBodyBytes: number): Router {
  const router = Router();

  router.post("/inference", async (req: Request, res: Response) => {
    const model = slot.get();
    const request = parseInferenceRequest(await readJsonBody(req, maxBodyBytes), model.schema);
    const predictions = model.predict(request.rows, request.count, request.options);
    const rows = toRows(predictions, request.options.output);
    sendJson(res, 200, request.single ? { prediction: rows[0] } : { predictions: rows });
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

  return router;
}
