/**
 * The OpenAPI document: served as it is in contract/, its error codes are the catalog's, and every GET operation
 * it lists answers on the real endpoint with what the document says (POST operations are exercised, and checked,
 * by the contract tests). The FastAPI control serves the same document, and its seed routes answer as it says.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import document from "../../contract/openapi.json";
import errors from "../../contract/errors.json";
import { checkedFetch, checkedPost } from "../support/openapi";
import { startControl, startServer } from "../support/server";

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with JSON Schema 2020-12", () => {
    assert.equal(document.openapi, "3.1.0");
    assert.equal(document.jsonSchemaDialect, "https://json-schema.org/draft/2020-12/schema");
  });

  it("enumerates exactly the error codes of contract/errors.json", () => {
    assert.deepEqual(
      [...document.components.schemas.ErrorCode.enum].sort(),
      errors.errors.map((e) => e.code).sort(),
    );
  });

  it("is served at GET /openapi.json, and every GET it lists answers as it says", async () => {
    const server = await startServer();
    try {
      const served = await checkedFetch(`${server.url}/openapi.json`);
      assert.deepEqual(await served.json(), document);
      const { version } = (await (await checkedFetch(`${server.url}/model`)).json()) as { version: string };
      const gets = Object.entries(document.paths).filter(([, item]) => "get" in item);
      assert.ok(gets.length >= 10);
      for (const [template] of gets) {
        const path = template.replace("{name}", "model").replace("{version}", version);
        const res = await checkedFetch(`${server.url}${path}`);
        assert.equal(res.status, 200, path);
      }
      // Another model's name, and a path the document does not list, answer as the document says.
      assert.equal((await checkedFetch(`${server.url}/v2/models/other/ready`)).status, 404);
      assert.equal((await checkedFetch(`${server.url}/openapi.yaml`)).status, 404);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it("describes the FastAPI control's seed contract too, which serves the same document", async () => {
    const control = await startControl();
    try {
      const served = await checkedFetch(`${control.url}/openapi.json`);
      assert.deepEqual(await served.json(), document);
      for (const path of ["/health", "/ready", "/model", "/metrics"])
        assert.equal((await checkedFetch(`${control.url}${path}`)).status, 200, path);
      const row = Array.from({ length: 20 }, (_, i) => (i === 3 ? null : i / 7));
      assert.equal((await checkedPost(`${control.url}/inference`, { data: row })).status, 200);
      assert.equal(
        (await checkedPost(`${control.url}/inference`, { data: [row, row], output: "contrib" })).status,
        200,
      );
      assert.equal((await checkedPost(`${control.url}/inference`, { data: [1] })).status, 400);
      assert.equal((await checkedPost(`${control.url}/inference`, "{not json")).status, 400);
      assert.equal((await checkedFetch(`${control.url}/no/such/path`)).status, 404);
    } finally {
      assert.equal(await control.stop(), 0);
    }
  });
});
