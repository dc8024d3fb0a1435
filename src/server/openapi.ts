/**
 * GET /openapi.json: the OpenAPI 3.1 document of the HTTP contract (contract/openapi.json, shared with the
 * FastAPI control), serialised once.
 */
import type { Express } from "express";
import document from "../../contract/openapi.json";

export function openApiRoute(app: Express): void {
  const body = JSON.stringify(document);
  app.get("/openapi.json", (_req, res) => {
    res.type("application/json").send(body);
  });
}
