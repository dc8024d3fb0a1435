// Which library costs less per request (README, "Metrics"): prom-client against OpenTelemetry's sdk-metrics with
// its Prometheus exporter, recording what the endpoint records per request (a counter and a duration histogram
// labelled method/route/status, and the two inference histograms labelled model/output, with the buckets of
// contract/metrics.json), then one scrape of each. The two alternate round by round. prom-client is used as
// src/telemetry/metrics.ts uses it, with label children kept per route; OpenTelemetry's API takes the attributes
// on every call. Run it pinned on a quiet core:
//   cd bench/metrics-libraries && npm ci && taskset -c 1 node compare.mjs
import { readFileSync } from "node:fs";
import client from "prom-client";
import { AggregationType, MeterProvider } from "@opentelemetry/sdk-metrics";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";

const contract = JSON.parse(readFileSync(new URL("../../contract/metrics.json", import.meta.url), "utf8"));
const latency = contract.latency_buckets_seconds;
const rows = contract.rows_buckets;
const routes = ["/inference", "/v2/models/{name}/infer", "/model"];

const registry = new client.Registry();
const registers = [registry];
const requestLabels = ["method", "route", "status"];
const count = new client.Counter({
  name: "http_requests_total",
  help: "-",
  labelNames: requestLabels,
  registers,
});
const duration = new client.Histogram({
  name: "http_request_duration_seconds",
  help: "-",
  labelNames: requestLabels,
  buckets: latency,
  registers,
});
const inferenceLabels = { model: "model", output: "value" };
const inference = new client.Histogram({
  name: "model_inference_duration_seconds",
  help: "-",
  labelNames: ["model", "output"],
  buckets: latency,
  registers,
}).labels(inferenceLabels);
const inferenceRows = new client.Histogram({
  name: "model_inference_rows",
  help: "-",
  labelNames: ["model", "output"],
  buckets: rows,
  registers,
}).labels(inferenceLabels);
const children = new Map();
function promClient(i) {
  const route = routes[i % routes.length];
  let c = children.get(route);
  if (c === undefined) {
    const labels = { method: "POST", route, status: "200" };
    c = { count: count.labels(labels), duration: duration.labels(labels) };
    children.set(route, c);
  }
  c.count.inc();
  c.duration.observe(0.0004);
  inference.observe(0.00004);
  inferenceRows.observe(1);
}

const exporter = new PrometheusExporter({ preventServerStart: true });
const histogram = (instrumentName, boundaries) => ({
  instrumentName,
  aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } },
});
const meter = new MeterProvider({
  readers: [exporter],
  views: [
    histogram("http.server.request.duration", latency),
    histogram("model.inference.duration", latency),
    histogram("model.inference.rows", rows),
  ],
}).getMeter("compare");
const otelCount = meter.createCounter("http.server.requests");
const otelDuration = meter.createHistogram("http.server.request.duration", { unit: "s" });
const otelInference = meter.createHistogram("model.inference.duration", { unit: "s" });
const otelRows = meter.createHistogram("model.inference.rows");
const attributes = routes.map((route) => ({ method: "POST", route, status: "200" }));
function openTelemetry(i) {
  const a = attributes[i % routes.length];
  otelCount.add(1, a);
  otelDuration.record(0.0004, a);
  otelInference.record(0.00004, inferenceLabels);
  otelRows.record(1, inferenceLabels);
}

const nsPerCall = (fn, n) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / n;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const CALLS = 200_000;
const ROUNDS = 15;
nsPerCall(promClient, CALLS);
nsPerCall(openTelemetry, CALLS);
const recorded = { prom: [], otel: [] };
for (let r = 0; r < ROUNDS; r++) {
  const pair = [
    ["prom", promClient],
    ["otel", openTelemetry],
  ];
  if (r % 2) pair.reverse();
  for (const [name, fn] of pair) recorded[name].push(nsPerCall(fn, CALLS));
}
const scraped = { prom: [], otel: [] };
const serializer = new PrometheusSerializer();
for (let r = 0; r < 20; r++) {
  let start = process.hrtime.bigint();
  await registry.metrics();
  scraped.prom.push(Number(process.hrtime.bigint() - start) / 1000);
  start = process.hrtime.bigint();
  serializer.serialize((await exporter.collect()).resourceMetrics);
  scraped.otel.push(Number(process.hrtime.bigint() - start) / 1000);
}
console.log(
  `recording one request's metrics, median of ${ROUNDS} rounds of ${CALLS.toLocaleString("en")} calls:`,
);
console.log(
  `  prom-client ${median(recorded.prom).toFixed(0)} ns, OpenTelemetry ${median(recorded.otel).toFixed(0)} ns`,
);
console.log(`one scrape of ${routes.length} routes' series, median of 20:`);
console.log(
  `  prom-client ${median(scraped.prom).toFixed(0)} µs, OpenTelemetry ${median(scraped.otel).toFixed(0)} µs`,
);
