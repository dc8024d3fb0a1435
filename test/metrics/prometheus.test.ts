/**
 * Both services scraped by a real Prometheus (Debian's package): after a known set of requests, Prometheus's
 * HTTP API reports exactly that many per route and status, the rows that went through the model, the model's
 * identity, and a p99 from the latency histogram. Skipped, with the reason, where /usr/bin/prometheus is absent
 * (scripts/test.sh installs it with apt when it runs as root).
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { seedRows } from "../../bench/http/inputs";
import { PROMETHEUS_BIN, startPrometheus, type Prometheus } from "../support/prometheus";
import { post, startControl, startServer, type RunningServer } from "../support/server";

const ROW = seedRows()[0];
const absent = PROMETHEUS_BIN === undefined ? "no prometheus binary (apt-get install prometheus)" : false;

/** 5 good single rows, 2 bad bodies, a batch of 4 rows, 1 model read and 1 unknown path. */
async function sendKnownRequests(url: string): Promise<void> {
  for (let i = 0; i < 5; i++) assert.equal((await post(`${url}/inference`, { data: ROW })).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await post(`${url}/inference`, { data: [1] })).status, 400);
  assert.equal((await post(`${url}/inference`, { data: [ROW, ROW, ROW, ROW] })).status, 200);
  assert.equal((await fetch(`${url}/model`)).status, 200);
  assert.equal((await fetch(`${url}/no/such/path`)).status, 404);
}

describe("scraped by a real Prometheus", { skip: absent, timeout: 120_000 }, () => {
  let ts: RunningServer;
  let control: RunningServer;
  let prometheus: Prometheus;

  before(async () => {
    [ts, control] = await Promise.all([startServer(), startControl()]);
    const address = (s: RunningServer) => new URL(s.url).host;
    prometheus = await startPrometheus([
      { job: "ts-endpoint", address: address(ts) },
      { job: "fastapi-control", address: address(control) },
    ]);
  });
  after(async () => {
    await prometheus?.stop();
    await Promise.all([ts?.stop(), control?.stop()]);
  });

  /** Waits for a scrape of `job` that began after `since` (ms since the epoch). */
  async function scrapedAfter(job: string, since: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const [sample] = await prometheus.query(`timestamp(up{job="${job}"})`);
      if (sample !== undefined && sample.value * 1000 > since) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`Prometheus did not scrape ${job} in time`);
  }

  async function value(promql: string): Promise<number> {
    const result = await prometheus.query(promql);
    assert.equal(result.length, 1, `${promql}: ${JSON.stringify(result)}`);
    return result[0].value;
  }

  async function checkJob(job: string, url: string): Promise<void> {
    await sendKnownRequests(url);
    await scrapedAfter(job, Date.now());
    const j = `job="${job}"`;
    assert.equal(await value(`up{${j}}`), 1);
    const requests = (labels: string) => value(`sum(http_requests_total{${j},${labels}})`);
    assert.equal(await requests(`method="POST",route="/inference",status="200"`), 6);
    assert.equal(await requests(`method="POST",route="/inference",status="400"`), 2);
    assert.equal(await requests(`method="GET",route="/model",status="200"`), 1);
    assert.equal(await requests(`route="unmatched",status="404"`), 1);
    assert.equal(await value(`sum(http_request_duration_seconds_count{${j},route="/inference"})`), 8);
    assert.equal(await value(`sum(model_inference_rows_sum{${j},output="value"})`), 5 + 4);
    assert.equal(await value(`sum(model_inference_duration_seconds_count{${j}})`), 6);
    const p99 = await value(
      `histogram_quantile(0.99, sum by (le) (http_request_duration_seconds_bucket{${j},route="/inference"}))`,
    );
    assert.ok(p99 > 0 && p99 < 10, `p99 ${p99}`);
    const model = (await (await fetch(`${url}/model`)).json()) as { version: string; num_trees: number };
    const [info] = await prometheus.query(`model_info{${j}}`);
    assert.equal(info?.metric.version, model.version);
    assert.equal(info?.metric.trees, String(model.num_trees));
    assert.ok((await value(`process_resident_memory_bytes{${j}}`)) > 0);
  }

  it("counts the TypeScript endpoint's requests exactly", async () => {
    await checkJob("ts-endpoint", ts.url);
  });

  it("counts the FastAPI control's requests exactly", async () => {
    await checkJob("fastapi-control", control.url);
  });
});
