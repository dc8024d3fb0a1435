/**
 * Metrics that add up across a Node cluster (WORKERS > 1). Each worker keeps its own registry; when a worker
 * is asked for /metrics it asks the primary over the cluster's IPC channel, and the primary gathers every
 * worker's registry with prom-client's AggregatorRegistry (sums for counters, histograms and gauges; the
 * `aggregator` of a metric says otherwise) and sends the text back. One port serves everything, whichever
 * worker the scrape lands on.
 */
import cluster from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQUEST = "lightgbm-ts-serving:metrics-request";
const RESPONSE = "lightgbm-ts-serving:metrics-response";

interface Message {
  readonly type?: unknown;
  readonly id?: number;
  readonly text?: string;
  readonly error?: string;
}

/** In the primary: answers workers' requests with the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: Message) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (error: unknown) => worker.send({ type: RESPONSE, id: message.id, error: String(error) }),
    );
  });
}

/** In a worker: offers `registry` to the primary's aggregation and returns how to ask for the cluster's text. */
export function clusterMetricsText(registry: Registry): () => Promise<string> {
  new AggregatorRegistry(); // registers the worker's reply to the primary's gathering
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  process.on("message", (message: Message) => {
    if (message?.type !== RESPONSE || message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`cluster metrics: ${message.error}`));
    else waiting?.resolve(message.text ?? "");
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      process.send?.({ type: REQUEST, id });
    });
}
