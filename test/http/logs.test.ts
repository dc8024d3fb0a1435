/**
 * The endpoint's logs, read from its stderr as JSON lines: start-up, the model with its version and warm-up
 * time, the access log (off by default) whose trace_id and span_id lead to the trace in a real Jaeger, errors,
 * and shutdown.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { seedRows } from "../../bench/http/inputs";
import { startJaeger, waitForSpans, type Jaeger } from "../support/jaeger";
import { post, startServer } from "../support/server";

const ROW = seedRows()[0];

type Line = Record<string, unknown>;

/** Every line of the log, each of which must be a JSON object with the common fields. */
function lines(log: string, service = "ts-endpoint"): Line[] {
  return log
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const line = JSON.parse(l) as Line;
      assert.equal(typeof line.msg, "string", l);
      assert.equal(line.service, service, l);
      assert.ok(["trace", "debug", "info", "warn", "error", "fatal"].includes(line.level as string), l);
      assert.ok(!Number.isNaN(Date.parse(line.time as string)) && (line.time as string).endsWith("Z"), l);
      return line;
    });
}

describe("structured logs", { timeout: 600_000 }, () => {
  let jaeger: Jaeger;
  before(async () => {
    jaeger = await startJaeger();
  });
  after(async () => {
    await jaeger.stop();
  });

  it("writes one JSON line per event, and an access line that leads to the request's trace in Jaeger", async () => {
    const server = await startServer({
      ACCESS_LOG: "true",
      OTEL_SDK_DISABLED: "false",
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpEndpoint,
      OTEL_SERVICE_NAME: "ts-endpoint-logs",
    });
    const res = await post(`${server.url}/inference`, { data: ROW });
    assert.equal(res.status, 200);
    const model = (await (await fetch(`${server.url}/model`)).json()) as { version: string };
    assert.equal(await server.stop(), 0);

    // The service field follows OTEL_SERVICE_NAME, as in the traces.
    const log = lines(server.logs(), "ts-endpoint-logs");
    const loaded = log.find((l) => (l.model as Line | undefined)?.version !== undefined);
    assert.ok(loaded, "a model-loaded line");
    assert.equal((loaded.model as Line).version, model.version);
    assert.equal(typeof (loaded.warm_up as Line).ms, "number");
    assert.ok(log.some((l) => l.msg === "starting" && l.port !== undefined));
    assert.ok(
      log.some((l) => l.msg === "stopped"),
      "a shutdown line",
    );

    const access = log.find((l) => l.msg === "request" && l.path === "/inference");
    assert.ok(access, "an access line for the request");
    assert.equal(access.status, 200);
    assert.match(access.trace_id as string, /^[0-9a-f]{32}$/);
    const spans = await waitForSpans(
      jaeger.queryUrl,
      "ts-endpoint-logs",
      (found) => found.some((s) => s.traceId === access.trace_id && s.name === "model-inference"),
      20_000,
    );
    const serverSpan = spans.find((s) => s.spanId === access.span_id);
    assert.ok(serverSpan, "the line's span_id is a span in Jaeger");
    assert.equal(serverSpan.traceId, access.trace_id);
    assert.equal(serverSpan.kind, "SERVER");
  });

  it("writes no access lines by default, and logs a bad model as one fatal line", async () => {
    const server = await startServer();
    assert.equal((await post(`${server.url}/inference`, { data: ROW })).status, 200);
    assert.equal(await server.stop(), 0);
    assert.deepEqual(
      lines(server.logs()).filter((l) => l.msg === "request"),
      [],
    );

    await assert.rejects(startServer({ MODEL_PATH: "/no/such/model.txt" }), (error: Error) => {
      const fatal = lines(error.message.slice(error.message.indexOf("{"))).filter((l) => l.level === "fatal");
      assert.equal(fatal.length, 1);
      assert.match(fatal[0].msg as string, /cannot read MODEL_PATH/);
      return true;
    });
  });
});
