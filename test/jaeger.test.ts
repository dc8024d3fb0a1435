/**
 * The Jaeger test harness itself: a real Jaeger, fed one hand-written OTLP/HTTP JSON trace, must serve both spans
 * back through its query API with the parent link intact. The first run builds Jaeger (several minutes).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { getTraces, listServices, startJaeger, waitForSpans } from "./support/jaeger";

test(
  "a real Jaeger accepts OTLP spans and serves them back through its query API",
  { timeout: 20 * 60_000 },
  async () => {
    const jaeger = await startJaeger();
    try {
      const service = `jaeger-harness-test-${randomBytes(4).toString("hex")}`;
      const traceId = randomBytes(16).toString("hex");
      const parentId = randomBytes(8).toString("hex");
      const childId = randomBytes(8).toString("hex");
      const startNs = BigInt(Date.now()) * 1_000_000n;
      const ms = 1_000_000n;

      const body = {
        resourceSpans: [
          {
            resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
            scopeSpans: [
              {
                scope: { name: "jaeger-harness-test" },
                spans: [
                  {
                    traceId,
                    spanId: parentId,
                    name: "POST /predict",
                    kind: 2, // SERVER
                    startTimeUnixNano: String(startNs),
                    endTimeUnixNano: String(startNs + 10n * ms),
                    attributes: [
                      { key: "http.request.method", value: { stringValue: "POST" } },
                      { key: "http.response.status_code", value: { intValue: "200" } },
                    ],
                    status: {},
                  },
                  {
                    traceId,
                    spanId: childId,
                    parentSpanId: parentId,
                    name: "model.predict",
                    kind: 1, // INTERNAL
                    startTimeUnixNano: String(startNs + 2n * ms),
                    endTimeUnixNano: String(startNs + 7n * ms),
                    attributes: [{ key: "model.rows", value: { intValue: "3" } }],
                    status: { code: 2, message: "boom" },
                  },
                ],
              },
            ],
          },
        ],
      };
      const response = await fetch(`${jaeger.otlpHttpEndpoint}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, await response.text());

      const spans = await waitForSpans(jaeger.queryUrl, service, (found) => found.length >= 2, 15_000);
      assert.equal(spans.length, 2);
      const parent = spans.find((span) => span.name === "POST /predict");
      const child = spans.find((span) => span.name === "model.predict");
      assert.ok(parent, "parent span missing");
      assert.ok(child, "child span missing");

      assert.equal(parent.traceId, traceId);
      assert.equal(child.traceId, traceId);
      assert.equal(parent.spanId, parentId);
      assert.equal(parent.parentSpanId, "");
      assert.equal(child.spanId, childId);
      assert.equal(child.parentSpanId, parent.spanId);

      assert.equal(parent.serviceName, service);
      assert.equal(parent.kind, "SERVER");
      assert.equal(child.kind, "INTERNAL");
      assert.equal(parent.startTimeUnixNano, startNs);
      assert.equal(child.endTimeUnixNano - child.startTimeUnixNano, 5n * ms);
      assert.equal(parent.attributes["http.request.method"], "POST");
      assert.equal(parent.attributes["http.response.status_code"], 200);
      assert.equal(child.attributes["model.rows"], 3);
      assert.deepEqual(child.status, { code: "ERROR", message: "boom" });
      assert.equal(parent.status.code, "UNSET");

      assert.ok((await listServices(jaeger.queryUrl)).includes(service));
      assert.deepEqual(await getTraces(jaeger.queryUrl, `${service}-unknown`), []);
    } finally {
      await jaeger.stop();
    }
  },
);
