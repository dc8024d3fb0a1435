import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AggregatorRegistry, Counter, Histogram, Registry } from "prom-client";
import { SeriesCounter, SeriesHistogram } from "./series";

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVED: [string, number][] = [
  ["200", 0.0004],
  ["200", 0.01],
  ["200", 0.5],
  ["400", 3],
  ["200", 0.001],
];
const config = { name: "d_seconds", help: "durations", labelNames: ["route", "status"] };

/** The same observations through prom-client's own Histogram and Counter. */
function stock(): Registry {
  const registry = new Registry();
  const histogram = new Histogram({ ...config, buckets: BUCKETS, registers: [registry] });
  const counter = new Counter({ ...config, name: "d_total", registers: [registry] });
  for (const [status, value] of OBSERVED) {
    histogram.observe({ route: "/r", status }, value);
    counter.inc({ route: "/r", status });
  }
  return registry;
}

function ours(): Registry {
  const registry = new Registry();
  const histogram = new SeriesHistogram({ ...config, buckets: BUCKETS, registry });
  new SeriesCounter({ ...config, name: "d_total", registry }, histogram);
  for (const [status, value] of OBSERVED) histogram.series({ route: "/r", status }).observe(value);
  return registry;
}

/** Sample lines, with each line's labels in name order, so the order prom-client writes them in does not matter. */
function samples(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (.*)$/.exec(line);
      assert.ok(match, line);
      const labels = (match[2] ?? "").split(",").sort().join(",");
      return `${match[1]}{${labels}} ${match[3]}`;
    })
    .sort();
}

describe("series histograms and counters", () => {
  it("expose the same text as prom-client's own Histogram and Counter for the same observations", async () => {
    assert.deepEqual(samples(await ours().metrics()), samples(await stock().metrics()));
  });

  it("add up across registries as prom-client's cluster aggregation sums them", async () => {
    const aggregate = async (make: () => Registry) =>
      AggregatorRegistry.aggregate([
        await make().getMetricsAsJSON(),
        await make().getMetricsAsJSON(),
      ]).metrics();
    assert.deepEqual(samples(await aggregate(ours)), samples(await aggregate(stock)));
  });

  it("refuse a series that lacks one of the label values", () => {
    const histogram = new SeriesHistogram({ ...config, buckets: BUCKETS, registry: new Registry() });
    assert.throws(() => histogram.series({ route: "/r" }), /no value for label "status"/);
  });
});
