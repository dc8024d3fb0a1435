/**
 * GET /metrics on the real endpoint: the contract's metrics with their types, labels and buckets, counts that
 * match the requests sent, the model's identity, the runtime's own metrics, and sums across a cluster.
 */
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { describe, it } from "node:test";
import { seedRows } from "../../bench/http/inputs";
import { assertMatchesContract, parseExposition, total, type Exposition } from "../support/prometheus-text";
import { startServer } from "../support/server";

const ROW = seedRows()[0];

/** One request on a fresh connection, so that a cluster's workers share the requests. */
function exchange(url: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false, headers: { "content-type": "application/json" } });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function request(url: string, method: string, body?: unknown): Promise<number> {
  return (await exchange(url, method, body)).status;
}

async function scrape(url: string): Promise<Exposition> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

/** 6 good rows, 2 bad bodies, 3 OIP inferences of 2 rows, 1 metadata read and 1 unknown path. */
async function sendKnownRequests(url: string): Promise<void> {
  for (let i = 0; i < 6; i++) assert.equal(await request(`${url}/inference`, "POST", { data: ROW }), 200);
  for (let i = 0; i < 2; i++) assert.equal(await request(`${url}/inference`, "POST", { data: [1] }), 400);
  const tensor = {
    inputs: [{ name: "x", datatype: "FP64", shape: [2, ROW.length], data: [...ROW, ...ROW] }],
  };
  for (let i = 0; i < 3; i++)
    assert.equal(await request(`${url}/v2/models/model/infer`, "POST", tensor), 200);
  assert.equal(await request(`${url}/v2/models/model`, "GET"), 200);
  assert.equal(await request(`${url}/no/such/path`, "GET"), 404);
}

function assertCounts(m: Exposition): void {
  const count = (route: string, status: string) =>
    total(m, "http_requests_total", { route, status, method: route === "unmatched" ? "GET" : "POST" });
  assert.equal(count("/inference", "200"), 6);
  assert.equal(count("/inference", "400"), 2);
  assert.equal(count("/v2/models/{name}/infer", "200"), 3);
  assert.equal(total(m, "http_requests_total", { route: "/v2/models/{name}", method: "GET" }), 1);
  assert.equal(count("unmatched", "404"), 1);
  assert.equal(total(m, "http_request_duration_seconds_count", { route: "/inference" }), 8);
  // Only the successful evaluator calls: 6 single rows, then 3 of 2 rows.
  assert.equal(total(m, "model_inference_duration_seconds_count", { model: "model", output: "value" }), 9);
  assert.equal(total(m, "model_inference_rows_sum", { model: "model", output: "value" }), 6 + 3 * 2);
  assert.equal(total(m, "model_inference_rows_bucket", { le: "1" }), 6);
}

describe("GET /metrics", () => {
  it("exposes the contract's metrics, counting exactly the requests sent", async () => {
    const server = await startServer();
    try {
      await sendKnownRequests(server.url);
      const m = await scrape(server.url);
      assertMatchesContract(m);
      assertCounts(m);
      // The scrape itself is in flight while it is answered.
      assert.equal(total(m, "http_requests_in_flight"), 1);
      const info = m.samples.filter((s) => s.name === "model_info");
      const model = (await (await fetch(`${server.url}/model`)).json()) as Record<string, unknown>;
      assert.deepEqual(
        info.map((s) => [s.labels, s.value]),
        [[{ name: "model", version: model.version, trees: String(model.num_trees), features: "20" }, 1]],
      );
      assert.ok(total(m, "process_cpu_seconds_total") > 0, "process metrics");
      assert.ok(m.types.has("nodejs_eventloop_lag_seconds"), "Node's own metrics");
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it("adds up the workers' metrics when WORKERS=2, whichever worker answers the scrape", async () => {
    const server = await startServer({ WORKERS: "2" });
    try {
      // Ready once one worker is; fresh connections go round the workers, so four 200s in a row mean both are.
      const deadline = Date.now() + 30_000;
      for (let ready = 0; ready < 4;) {
        assert.ok(Date.now() < deadline, "both workers ready within 30 s");
        ready = (await request(`${server.url}/ready`, "GET")) === 200 ? ready + 1 : 0;
      }
      await sendKnownRequests(server.url);
      const first = await scrape(server.url);
      assertMatchesContract(first);
      assertCounts(first);
      assert.equal(first.samples.filter((s) => s.name === "model_info").length, 1, "one model_info series");
      // Scrapes on fresh connections land on either worker and see the same sums.
      for (let i = 0; i < 2; i++)
        assertCounts(parseExposition((await exchange(`${server.url}/metrics`, "GET")).text));
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it("is absent with METRICS_ENABLED=false", async () => {
    const server = await startServer({ METRICS_ENABLED: "false" });
    try {
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
