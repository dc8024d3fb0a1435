/**
 * The Go peer (bench/peers/fiber: Fiber v2 + leaves, the seed's system) gives LightGBM's predictions on the
 * bundled model: the 100 seed rows of the benchmark, one per call and as one batch, and the same rows with
 * missing values (null), against `lightgbm.Booster.predict` from the project's Python. Measured on the bundled
 * model, leaves' predictions are bit-identical to LightGBM's (it adds the 500 trees in LightGBM's order, in
 * float64); the tolerance is LightGBM parity's usual 1e-12 relative. With a real Jaeger, a traced request gives
 * an otelfiber server span with a `model-inference` child in service go-fiber, and health probes give none. Its
 * `-floor` mode (the benchmark's Go floor) answers the same constant as the node:http floor, whatever the body.
 * Skipped, with the reason, where Go is missing.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildFiberPeer, startFiberPeer, stopPeer } from "../support/fiber-peer";
import { startJaeger, waitForSpans, type Jaeger } from "../support/jaeger";
import { REPO_ROOT } from "../support/paths";
import { runPython } from "../../scripts/lib/python";
import { post, type RunningServer } from "../support/server";

const MODEL_PATH = path.join(REPO_ROOT, "model", "model.txt");
const SEED_ROWS = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "bench", "http", "inputs.json"), "utf8")) as {
    seed: number[][];
  }
).seed;
/** The seed rows with a missing value wherever (row + column) is a multiple of 7. */
const ROWS_WITH_MISSING = SEED_ROWS.map((row, r) => row.map((v, c) => ((r + c) % 7 === 0 ? null : v)));

const build = buildFiberPeer();

/** LightGBM's own predictions for `rows` from the real package (numpy reads null as NaN, LightGBM's missing). */
function lightgbmPredict(rows: (number | null)[][]): number[] {
  const script = [
    "import json, sys",
    "import lightgbm, numpy",
    "rows = numpy.array(json.loads(sys.argv[2]), dtype=numpy.float64)",
    "print(json.dumps(lightgbm.Booster(model_file=sys.argv[1]).predict(rows).tolist()))",
  ].join("\n");
  return JSON.parse(runPython(["-c", script, MODEL_PATH, JSON.stringify(rows)])) as number[];
}

/** Asserts agreement within 1e-12 relative and returns the largest relative difference seen. */
function assertClose(got: number[], expected: number[], what: string): number {
  assert.equal(got.length, expected.length, `${what}: as many predictions as rows`);
  let worst = 0;
  got.forEach((g, i) => {
    const e = expected[i];
    if (g !== e) worst = Math.max(worst, Math.abs(g - e) / Math.max(Math.abs(g), Math.abs(e)));
    assert.ok(
      Math.abs(g - e) <= 1e-12 * Math.max(Math.abs(g), Math.abs(e)),
      `${what}, row ${i}: peer ${g}, lightgbm ${e}`,
    );
  });
  return worst;
}

describe("the Go peer (Fiber + leaves)", { skip: build.skip, timeout: 300_000 }, () => {
  describe("matches LightGBM on the bundled model", () => {
    let peer: RunningServer;
    before(async () => {
      peer = await startFiberPeer(build.binary as string);
    });
    after(async () => {
      await stopPeer(peer);
    });

    for (const [name, rows] of [
      ["the seed rows", SEED_ROWS],
      ["the seed rows with missing values", ROWS_WITH_MISSING],
    ] as const) {
      it(`on ${name}, one per call and as one batch`, async (t) => {
        const expected = lightgbmPredict(rows);
        const single: number[] = [];
        for (const row of rows) {
          const res = await post(`${peer.url}/inference`, { data: row });
          assert.equal(res.status, 200);
          single.push((res.body as { prediction: number }).prediction);
        }
        const worstSingle = assertClose(single, expected, "one row per call");
        const batch = await post(`${peer.url}/inference`, { data: rows });
        assert.equal(batch.status, 200);
        const predictions = (batch.body as { predictions: number[] }).predictions;
        const worstBatch = assertClose(predictions, expected, "one batch");
        t.diagnostic(`largest relative difference from lightgbm: ${Math.max(worstSingle, worstBatch)}`);
      });
    }

    it("answers client mistakes with a JSON 4xx and a code from the catalog", async () => {
      const cases: [string, Record<string, string> | undefined, number, string][] = [
        ['{"data": [1, 2]}', undefined, 400, "invalid_request"],
        ['{"data": ', undefined, 400, "invalid_json"],
        ['{"data": ["a"]}', undefined, 400, "invalid_request"],
        ["{}", { "content-type": "text/plain" }, 415, "unsupported_media_type"],
      ];
      for (const [body, headers, status, code] of cases) {
        const res = await post(`${peer.url}/inference`, body, headers);
        assert.equal(res.status, status, body);
        assert.equal((res.body as { error: { code: string } }).error.code, code, body);
      }
      const health = await fetch(`${peer.url}/health`);
      assert.deepEqual(await health.json(), { status: "ok" });
      const wrongMethod = await fetch(`${peer.url}/inference`);
      assert.equal(wrongMethod.status, 405);
      const unknown = await fetch(`${peer.url}/nowhere`);
      assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "not_found");
    });
  });

  it("as the benchmark's Go floor, answers floor-server.ts's constant without reading a model", async () => {
    const floor = await startFiberPeer(build.binary as string, { MODEL_PATH: "/nonexistent/model.txt" }, [
      "-floor",
    ]);
    try {
      for (const body of [{ data: SEED_ROWS[0] }, "not json"]) {
        const res = await post(`${floor.url}/inference`, body);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { prediction: 0 });
      }
    } finally {
      await stopPeer(floor);
    }
  });

  describe("traces into a real Jaeger", () => {
    let jaeger: Jaeger;
    before(async () => {
      jaeger = await startJaeger();
    });
    after(async () => {
      await jaeger.stop();
    });

    it("gives a server span with a model-inference child in service go-fiber, and none for probes", async () => {
      const peer = await startFiberPeer(build.binary as string, {
        OTEL_SDK_DISABLED: "false",
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpHttpEndpoint,
        OTEL_SERVICE_NAME: undefined,
      });
      const res = await post(`${peer.url}/inference`, { data: SEED_ROWS.slice(0, 3) });
      assert.equal(res.status, 200);
      await fetch(`${peer.url}/health`);
      assert.equal(await stopPeer(peer), 0, "SIGTERM flushes the spans and exits");

      const spans = await waitForSpans(jaeger.queryUrl, "go-fiber", (found) => found.length >= 2, 20_000);
      assert.equal(spans.length, 2, `two spans, got ${spans.map((s) => s.name).join(", ")}`);
      const server = spans.find((s) => s.kind === "SERVER");
      const inference = spans.find((s) => s.name === "model-inference");
      assert.ok(server && inference, "a server span and a model-inference span");
      assert.equal(server.name, "/inference", "otelfiber names the span after the route");
      assert.equal(inference.parentSpanId, server.spanId);
      assert.equal(inference.traceId, server.traceId);
      assert.equal(inference.attributes["model.batch_rows"], 3);
      assert.equal(inference.attributes["model.num_trees"], 500);
      assert.equal(inference.attributes["model.output"], "value");
      assert.match(String(inference.attributes["model.version"]), /^sha256:[0-9a-f]{16}$/);
    });
  });
});
