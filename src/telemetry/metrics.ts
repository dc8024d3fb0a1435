/**
 * Prometheus metrics (prom-client) with the names, types, labels and buckets of contract/metrics.json, which
 * the FastAPI control exposes too: requests by method, route template and status, their duration, requests in
 * flight, time inside the evaluator and rows per inference, the model's identity, and the runtime's own process
 * metrics. One Registry per app, so tests can build several.
 *
 * The hot path allocates little: a route's label children are looked up once per (route, method, status) and
 * kept, and the inference children are built once per output kind when the model is loaded.
 */
import { performance } from "node:perf_hooks";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import contract from "../../contract/metrics.json";

export type MetricName = (typeof contract.metrics)[number]["name"];

/** What the evaluator's caller reports after each successful inference. */
export type InferenceObserver = (output: string, rows: number, seconds: number) => void;

/** Per-request children for one (route, method, status): the counter and the histogram. */
interface RequestChildren {
  readonly count: { inc(): void };
  readonly duration: { observe(value: number): void };
}

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

function buckets(name: MetricName): number[] {
  const key = contract.metrics.find((m) => m.name === name)?.buckets as keyof typeof contract;
  return contract[key] as number[];
}

export class Metrics {
  readonly registry = new Registry();
  /** Requests being handled: a plain number, read by the gauge at scrape time (no prom-client call per request). */
  inFlight = 0;
  private readonly requests: Counter;
  private readonly requestDuration: Histogram;
  private readonly inferenceDuration: Histogram;
  private readonly inferenceRows: Histogram;
  private readonly modelInfo: Gauge;
  /** route → method → status → children; routes and methods are a handful of interned strings. */
  private readonly children = new Map<string, Map<string, Map<number, RequestChildren>>>();

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({ ...spec("http_requests_total"), registers });
    this.requestDuration = new Histogram({
      ...spec("http_request_duration_seconds"),
      buckets: buckets("http_request_duration_seconds"),
      registers,
    });
    const inFlight: Gauge = new Gauge({
      ...spec("http_requests_in_flight"),
      registers,
      collect: () => inFlight.set(this.inFlight),
    });
    this.inferenceDuration = new Histogram({
      ...spec("model_inference_duration_seconds"),
      buckets: buckets("model_inference_duration_seconds"),
      registers,
    });
    this.inferenceRows = new Histogram({
      ...spec("model_inference_rows"),
      buckets: buckets("model_inference_rows"),
      registers,
    });
    // Every worker serves the same model: across a cluster, model_info is one series, not a sum.
    this.modelInfo = new Gauge({ ...spec("model_info"), aggregator: "first", registers });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Records one answered request; `seconds` runs from its arrival to the end of its response. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.children.get(route);
    if (byMethod === undefined) this.children.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let children = byStatus.get(status);
    if (children === undefined) {
      const labels = { method, route, status: String(status) };
      children = { count: this.requests.labels(labels), duration: this.requestDuration.labels(labels) };
      byStatus.set(status, children);
    }
    children.count.inc();
    children.duration.observe(seconds);
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
    const byOutput = new Map<
      string,
      { duration: { observe(v: number): void }; rows: { observe(v: number): void } }
    >();
    return (output, rows, seconds) => {
      let children = byOutput.get(output);
      if (children === undefined) {
        const labels = { model: model.name, output };
        children = {
          duration: this.inferenceDuration.labels(labels),
          rows: this.inferenceRows.labels(labels),
        };
        byOutput.set(output, children);
      }
      children.duration.observe(seconds);
      children.rows.observe(rows);
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
