/**
 * Histograms (and a counter of the same series) that record into plain slots and are read by prom-client at
 * scrape time. prom-client's labelled children validate and hash their label values on every observe(); here a
 * caller finds its series once (for example per route, method and status) and keeps it, and an observation is
 * a bucket search and three additions. The metrics are prom-client Histogram and Counter objects whose get()
 * reports the slots, so the exposition text, the cluster's AggregatorRegistry and prom-client's label and
 * bucket rules are unchanged.
 */
import { Counter, Histogram, type Registry } from "prom-client";

type Labels = Readonly<Record<string, string>>;
type Exported = Awaited<ReturnType<Histogram["get"]>>;

/** One set of label values: bucket counts (not cumulative; the last one is +Inf), sum and count. */
export class Series {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export interface SeriesHistogramConfig {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly buckets: readonly number[];
  readonly registry: Registry;
}

type Value = { metricName?: string; labels: Record<string, string | number>; value: number };

/**
 * What a prom-client metric's get() returns. prom-client's typings name `type` with a numeric enum that the
 * library does not export; at run time (and in the registry's text and cluster aggregation) it is the string.
 */
function exported(config: { name: string; help: string }, type: string, values: Value[]): Exported {
  return { name: config.name, help: config.help, type, aggregator: "sum", values } as unknown as Exported;
}

/** A histogram whose series are found with `series(labels)` and observed directly. */
export class SeriesHistogram extends Histogram {
  private readonly bounds: readonly number[];
  private readonly byKey = new Map<string, Series>();

  constructor(private readonly config: SeriesHistogramConfig) {
    super({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames,
      buckets: [...config.buckets],
      registers: [config.registry],
    });
    this.bounds = [...config.buckets].sort((a, b) => a - b);
  }

  /** The series for these label values (one per distinct set; keep it rather than asking per observation). */
  series(labels: Labels): Series {
    const names = this.config.labelNames;
    const key = names.map((name) => labels[name]).join("\u0000");
    let found = this.byKey.get(key);
    if (found === undefined) {
      const missing = names.find((name) => labels[name] === undefined);
      if (missing !== undefined) throw new Error(`${this.config.name}: no value for label "${missing}"`);
      found = new Series(labels, this.bounds);
      this.byKey.set(key, found);
    }
    return found;
  }

  /** Every series so far, for a counter that reports their counts. */
  allSeries(): Iterable<Series> {
    return this.byKey.values();
  }

  override reset(): void {
    // prom-client's constructor calls reset() before this class's fields are set.
    const byKey = this.byKey as Map<string, Series> | undefined;
    for (const series of byKey?.values() ?? []) {
      series.counts.fill(0);
      series.sum = 0;
      series.count = 0;
    }
  }

  override get(): Promise<Exported> {
    const name = this.config.name;
    const values: Value[] = [];
    for (const series of this.byKey.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += series.counts[i];
        values.push({
          metricName: `${name}_bucket`,
          labels: { ...series.labels, le: this.bounds[i] },
          value: cumulative,
        });
      }
      values.push({
        metricName: `${name}_bucket`,
        labels: { ...series.labels, le: "+Inf" },
        value: series.count,
      });
      values.push({ metricName: `${name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${name}_count`, labels: series.labels, value: series.count });
    }
    return Promise.resolve(exported(this.config, "histogram", values));
  }

  /** The registry's text exposition asks this rather than get() where it exists: the same values. */
  getForPromString(): Promise<Exported> {
    return this.get();
  }
}

/** A counter that reports the observation counts of a SeriesHistogram with the same labels. */
export class SeriesCounter extends Counter {
  constructor(
    private readonly config: Omit<SeriesHistogramConfig, "buckets">,
    private readonly histogram: SeriesHistogram,
  ) {
    super({
      name: config.name,
      help: config.help,
      labelNames: config.labelNames,
      registers: [config.registry],
    });
  }

  override get(): Promise<Exported> {
    const values = [...this.histogram.allSeries()].map((series) => ({
      labels: series.labels,
      value: series.count,
    }));
    return Promise.resolve(exported(this.config, "counter", values));
  }
}
