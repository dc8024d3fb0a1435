/**
 * Tracing into a real Jaeger: the endpoint (with its OpenTelemetry preload) exports OTLP to a Jaeger built
 * from its Go module; we read the traces back through Jaeger's /api/v3 query API and check the span tree of
 * every request: a server span, and for requests that reach the model one `model-inference` child with the
 * model's attributes. Errors inside inference are recorded with error status. No span is lost in 5,000 requests.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../support/paths";
import { startJaeger, waitForSpans, type Jaeger, type SpanRecord } from "../support/jaeger";
import { parityFixtures } from "../../scripts/lib/parity-fixtures";
import { post, startServer, type RunningServer } from "../support/server";

const MODEL_PATH = path.join(REPO_ROOT, "model", "model.txt");
const ROW = Array.from({ length: 20 }, (_, i) => i / 7 - 1);
const SDK_CLOCK_RESOLUTION_NS = 1_000_000n;

function byTrace(spans: SpanRecord[]): Map<string, SpanRecord[]> {
  const traces = new Map<string, SpanRecord[]>();
  for (const s of spans) traces.set(s.traceId, [...(traces.get(s.traceId) ?? []), s]);
  return traces;
}

async function tracedServer(jaeger: Jaeger, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return startServer({
    MODEL_PATH,
    OTEL_SDK_DISABLED: "false",
    OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpEndpoint,
    OTEL_SERVICE_NAME: undefined,
    ...env,
  });
}

describe("traces in a real Jaeger", { timeout: 600_000 }, () => {
  let jaeger: Jaeger;
  before(async () => {
    jaeger = await startJaeger();
  });
  after(async () => {
    await jaeger.stop();
  });

  it("records a server span and a model-inference child per request, and the errors", async () => {
    const server = await tracedServer(jaeger);
    const url = `${server.url}/inference`;
    const single = await post(url, { data: ROW }, { "content-type": "application/json", "x-case": "single" });
    const batch = await post(url, { data: Array.from({ length: 7 }, () => ROW), output: "raw" });
    const bad = await post(url, { data: [1, 2] });
    assert.deepEqual([single.status, batch.status, bad.status], [200, 200, 400]);
    assert.equal(await server.stop(), 0, "SIGTERM flushes the spans and exits");

    // Jaeger stores what it receives after its own batching: wait until all five spans are queryable.
    const spans = await waitForSpans(jaeger.queryUrl, "ts-endpoint", (found) => found.length >= 5, 20_000);
    const traces = [...byTrace(spans).values()];
    assert.equal(traces.length, 3, `three traces, got ${spans.map((s) => s.name).join(", ")}`);
    const inference = spans.filter((s) => s.name === "model-inference");
    assert.equal(inference.length, 2, "only requests that reach the model have a model-inference span");
    for (const child of inference) {
      const parent = spans.find((s) => s.spanId === child.parentSpanId);
      assert.ok(parent, "model-inference has its parent in the same trace");
      assert.equal(parent.kind, "SERVER");
      assert.equal(parent.name, "POST /inference");
      assert.equal(parent.parentSpanId, "", "the server span is the root");
      assert.equal(child.kind, "INTERNAL");
      // The JS SDK stamps a span's start from Date.now() (whole milliseconds) and its end as start plus a
      // performance.now() duration, so a child's end may overhang its parent's by under one millisecond.
      assert.ok(
        child.startTimeUnixNano >= parent.startTimeUnixNano,
        "model-inference starts inside the request",
      );
      assert.ok(
        child.endTimeUnixNano < parent.endTimeUnixNano + SDK_CLOCK_RESOLUTION_NS,
        "model-inference ends inside the request, to the SDK's millisecond",
      );
      assert.equal(child.attributes["model.name"], "model");
      assert.match(String(child.attributes["model.version"]), /^sha256:[0-9a-f]{16}$/);
      assert.equal(Number(child.attributes["model.num_trees"]), 500);
    }
    assert.deepEqual(inference.map((s) => Number(s.attributes["model.batch_rows"])).sort(), [1, 7]);
    assert.deepEqual(inference.map((s) => s.attributes["model.output"]).sort(), ["raw", "value"]);
    const rejected = traces.find((t) => t.length === 1);
    assert.ok(rejected);
    assert.equal(
      Number(
        rejected[0].attributes["http.response.status_code"] ?? rejected[0].attributes["http.status_code"],
      ),
      400,
    );
  });

  it("marks model-inference with error status when the model refuses the request", async () => {
    const linear = parityFixtures().find((c) => c.name.includes("linear"));
    assert.ok(linear, "the parity matrix has a linear-tree model");
    const server = await tracedServer(jaeger, {
      MODEL_PATH: path.join(linear.dir, linear.model),
      OTEL_SERVICE_NAME: "ts-endpoint-linear",
    });
    const res = await post(`${server.url}/inference`, {
      data: Array.from({ length: linear.num_features }, () => 1),
      output: "contrib",
    });
    assert.equal(res.status, 400);
    assert.equal((res.body as { error: { code: string } }).error.code, "unsupported_output");
    assert.equal(await server.stop(), 0);
    const spans = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-linear",
      (found) => found.length >= 2,
      20_000,
    );
    const inference = spans.find((s) => s.name === "model-inference");
    assert.ok(inference);
    assert.equal(inference.status.code, "ERROR");
    assert.match(inference.status.message, /linear/);
  });

  it("continues a W3C traceparent and gives the server span the HTTP semantic-convention attributes", async () => {
    const server = await tracedServer(jaeger, { OTEL_SERVICE_NAME: "ts-endpoint-propagation" });
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const callerSpan = "00f067aa0ba902b7";
    const res = await post(
      `${server.url}/inference?debug=1`,
      { data: ROW },
      {
        "content-type": "application/json",
        traceparent: `00-${traceId}-${callerSpan}-01`,
        "user-agent": "tracing-test/1.0",
      },
    );
    assert.equal(res.status, 200);
    assert.equal(await server.stop(), 0);
    const spans = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-propagation",
      (found) => found.length >= 2,
      20_000,
    );
    const serverSpan = spans.find((s) => s.kind === "SERVER");
    assert.ok(serverSpan);
    assert.equal(serverSpan.traceId, traceId, "the caller's trace continues");
    assert.equal(serverSpan.parentSpanId, callerSpan, "the server span is the caller's span's child");
    const port = Number(new URL(server.url).port);
    assert.deepEqual(
      {
        method: serverSpan.attributes["http.request.method"],
        route: serverSpan.attributes["http.route"],
        path: serverSpan.attributes["url.path"],
        status: Number(serverSpan.attributes["http.response.status_code"]),
        address: serverSpan.attributes["server.address"],
        port: Number(serverSpan.attributes["server.port"]),
        agent: serverSpan.attributes["user_agent.original"],
      },
      {
        method: "POST",
        route: "/inference",
        path: "/inference",
        status: 200,
        address: "127.0.0.1",
        port,
        agent: "tracing-test/1.0",
      },
    );
    assert.equal(spans.find((s) => s.name === "model-inference")?.parentSpanId, serverSpan.spanId);
  });

  it("lets the sampler decide: parentbased_traceidratio at 0 traces only what a sampled caller asks for", async () => {
    const server = await tracedServer(jaeger, {
      OTEL_SERVICE_NAME: "ts-endpoint-sampled",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0",
    });
    const url = `${server.url}/inference`;
    const sampled = "0af7651916cd43dd8448eb211c80319c";
    const caller = (trace: string, flags: string): Record<string, string> => ({
      "content-type": "application/json",
      traceparent: `00-${trace}-b7ad6b7169203331-${flags}`,
    });
    for (let i = 0; i < 20; i++) assert.equal((await post(url, { data: ROW })).status, 200);
    assert.equal(
      (await post(url, { data: ROW }, caller("1af7651916cd43dd8448eb211c80319c", "00"))).status,
      200,
    );
    assert.equal((await post(url, { data: ROW }, caller(sampled, "01"))).status, 200);
    assert.equal(await server.stop(), 0);
    const spans = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-sampled",
      (found) => found.length >= 2,
      20_000,
    );
    // Give any wrongly sampled span time to arrive after the ones we expect.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const all = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-sampled",
      (found) => found.length >= 2,
      20_000,
    );
    assert.equal(spans.length, 2);
    assert.deepEqual(
      all.map((s) => s.traceId),
      [sampled, sampled],
      "only the sampled caller's request has spans",
    );
  });

  it("loses no span in 5,000 requests", async () => {
    const server = await tracedServer(jaeger, { OTEL_SERVICE_NAME: "ts-endpoint-load" });
    const total = 5000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const res = await post(`${server.url}/inference`, { data: ROW });
        assert.equal(res.status, 200);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.equal(await server.stop(), 0);
    // Every span must arrive: poll until Jaeger holds them all (a lost span makes this time out).
    const spans = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-load",
      (found) => found.length >= 2 * total,
      60_000,
      { limit: total * 2 },
    );
    assert.equal(spans.filter((s) => s.kind === "SERVER").length, total);
    assert.equal(spans.filter((s) => s.name === "model-inference").length, total);
  });
});
