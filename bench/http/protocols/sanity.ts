/**
 * Same work on every side: each endpoint answers the seed's rows as one batch, and the predictions are compared
 * with the TypeScript endpoint's. ts and control must agree to 1e-9 (both use LightGBM's own arithmetic); the
 * Go peer (leaves) is reported beside them.
 */
import { createClient } from "../client";
import type { Fleet } from "../fleet";
import { batchBody, seedRows } from "../inputs";
import type { BenchResult } from "../result";
import { INFERENCE, untracedEndpoints } from "./targets";

export async function runSanity(fleet: Fleet, log: (m: string) => void): Promise<BenchResult["sanity"]> {
  const endpoints = untracedEndpoints(fleet);
  const predictions = new Map<string, number[]>();
  for (const { role, id } of endpoints) {
    const client = createClient(fleet.get(id).url, "keepalive");
    const res = await client.post(INFERENCE, batchBody(seedRows().length));
    client.close();
    if (!res.ok) throw new Error(`${id}: POST ${INFERENCE} answered ${res.status}: ${res.body}`);
    predictions.set(role, (JSON.parse(res.body) as { predictions: number[] }).predictions);
  }
  const diff = (a: string, b: string) => {
    const x = predictions.get(a);
    const y = predictions.get(b);
    return x && y ? Math.max(...x.map((p, i) => Math.abs(p - y[i]))) : null;
  };
  const maxAbsDiff = diff("ts", "control");
  const goMaxAbsDiff = diff("go", "ts");
  log(
    `sanity: max |ts - control| = ${maxAbsDiff}, max |go - ts| = ${goMaxAbsDiff} over ${seedRows().length} rows`,
  );
  return {
    targets: endpoints.map((e) => e.id),
    rows: seedRows().length,
    maxAbsDiff,
    agree: maxAbsDiff === null ? null : maxAbsDiff < 1e-9,
    goMaxAbsDiff,
  };
}
