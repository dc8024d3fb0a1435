/**
 * Prometheus metrics (prom-client) with the names, types, labels and buckets of contract/metrics.json, which
 * the FastAPI control exposes too: requests by method, route template and status, their duration, requests in
 * flight, time inside the evaluator and rows per inference, the model's identity, and the runtime's own process
 * metrics. One Registry per app, so tests can build several.
 *
 * The hot path neither allocates nor hashes labels: a request's series is looked up once per (route, method,
 * status) and kept, an inference's once per output kind, and an observation adds into that series' slots
 * (series.ts), which prom-client reads at scrape time. http_requests_total is the count of the duration
 * histogram's series.
 */
import { performance } from "node:perf_hooks";
import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { type Series, SeriesCounter, SeriesHistogram } from "./series";
import contract from "../../contract/metrics.json";

export type MetricName = (typeof contract.metrics)[number]["name"];

/** What the evaluator's caller reports after each successful inference. */
export type InferenceObserver = (output: string, rows: number, seconds: number) => void;

/** What /model tells about the model, as far as model_info needs it. */
export interface ModelIdentity {
  readonly name: string;
  readonly version: string;
  readonly num_trees: number;
  readonly num_features: number;
}

function spec(name: MetricName): { name: string; help: string; labelNames: string[] } {
  const found = contract.metrics.find((m) => m.name === name);
  if (found === undefined) throw new Error(`contract/metrics.json has no ${name}`);
  return { name: found.name, help: found.help, labelNames: found.labels };
}

function histogram(name: MetricName, registry: Registry): SeriesHistogram {
  return new SeriesHistogram({ ...spec(name), buckets: buckets(name), registry });
}

function buckets(name: MetricName): number[] {
  const key = contract.metrics.find((m) => m.name === name)?.buckets as keyof typeof contract;
  return contract[key] as number[];
}

export class Metrics {
  readonly registry = new Registry();
  /** Requests being handled: a plain number, read by the gauge at scrape time (no prom-client call per request). */
  inFlight = 0;
  private readonly requestDuration: SeriesHistogram;
  private readonly inferenceDuration: SeriesHistogram;
  private readonly inferenceRows: SeriesHistogram;
  private readonly modelInfo: Gauge;
  /** route → method → status → series; routes and methods are a handful of interned strings. */
  private readonly requestSeries = new Map<string, Map<string, Map<number, Series>>>();

  constructor() {
    const registers = [this.registry];
    this.requestDuration = histogram("http_request_duration_seconds", this.registry);
    new SeriesCounter({ ...spec("http_requests_total"), registry: this.registry }, this.requestDuration);
    const inFlight: Gauge = new Gauge({
      ...spec("http_requests_in_flight"),
      registers,
      collect: () => inFlight.set(this.inFlight),
    });
    this.inferenceDuration = histogram("model_inference_duration_seconds", this.registry);
    this.inferenceRows = histogram("model_inference_rows", this.registry);
    // Every worker serves the same model: across a cluster, model_info is one series, not a sum.
    this.modelInfo = new Gauge({ ...spec("model_info"), aggregator: "first", registers });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one answered request; `seconds` runs from its arrival to the end of its response. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.requestSeries.get(route);
    if (byMethod === undefined) this.requestSeries.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      series = this.requestDuration.series({ method, route, status: String(status) });
      byStatus.set(status, series);
    }
    series.observe(seconds);
  }

  /** Sets model_info for the model now served, and returns the observer its inferences report to. */
  modelLoaded(model: ModelIdentity): InferenceObserver {
    this.modelInfo.reset();
    this.modelInfo.set(
      {
        name: model.name,
        version: model.version,
        trees: String(model.num_trees),
        features: String(model.num_features),
      },
      1,
    );
    const byOutput = new Map<string, { duration: Series; rows: Series }>();
    return (output, rows, seconds) => {
      let series = byOutput.get(output);
      if (series === undefined) {
        const labels = { model: model.name, output };
        series = { duration: this.inferenceDuration.series(labels), rows: this.inferenceRows.series(labels) };
        byOutput.set(output, series);
      }
      series.duration.observe(seconds);
      series.rows.observe(rows);
    };
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
