/**
 * GET /openapi.json: the OpenAPI 3.1 document of the HTTP contract (contract/openapi.json, shared with the
 * FastAPI control), serialised once.
 */
import { Router } from "express";
import document from "../../contract/openapi.json";

export function openApiRoute(): Router {
  const body = JSON.stringify(document);
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(body);
  });
  return router;
}
