/**
 * Reads the Prometheus text exposition format far enough for the tests: `# TYPE` lines and samples
 * `name{label="value",...} number`, and checks an exposition against contract/metrics.json.
 */
import * as assert from "node:assert/strict";
import contract from "../../contract/metrics.json";

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [name, type] = line.slice(7).split(" ");
      types.set(name, type);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return { types, samples };
}

/** The sum of the samples named `name` whose labels include `where`. */
export function total(exposition: Exposition, name: string, where: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Every metric of the contract is there with its type, exactly its labels, and its buckets. */
export function assertMatchesContract(exposition: Exposition): void {
  for (const metric of contract.metrics) {
    assert.equal(exposition.types.get(metric.name), metric.type, `${metric.name}'s type`);
    const suffix = metric.type === "histogram" ? "_count" : "";
    const series = exposition.samples.filter((s) => s.name === metric.name + suffix);
    assert.ok(series.length > 0, `${metric.name} has no series`);
    for (const s of series)
      assert.deepEqual(Object.keys(s.labels).sort(), [...metric.labels].sort(), metric.name);
    if (metric.buckets !== undefined) {
      const expected = contract[metric.buckets as keyof typeof contract] as number[];
      const first = series[0].labels;
      const bounds = exposition.samples
        .filter(
          (s) => s.name === `${metric.name}_bucket` && metric.labels.every((l) => s.labels[l] === first[l]),
        )
        .map((s) => s.labels.le);
      assert.deepEqual(bounds, [...expected.map(String), "+Inf"], `${metric.name}'s buckets`);
    }
  }
}
