/**
 * The seed's protocol, kept so results compare with its table: `samples` samples; in each, `calls`
 * synchronous calls to one endpoint timed as a whole; the endpoints interleaved within each sample (the order
 * rotates from sample to sample so no endpoint always goes first); single-row bodies from the seed's inputs.
 *
 * Two client variants: "fresh", a new TCP connection per call as the seed's `requests.post` made, with a new
 * client per sample; and "keepalive", one persistent client per endpoint for the whole run.
 *
 * `runSeedProtocol` runs in the client process; `summarizeSeed` turns its samples into the seed's figures.
 */
import { createClient, type Client, type ClientKind } from "./client";
import { mean, median, round } from "./stats";

export interface SeedJob {
  kind: "seed";
  targets: { name: string; url: string }[];
  path: string;
  bodies: string[];
  samples: number;
  calls: number;
  variant: ClientKind;
}

export interface SeedRun {
  variant: ClientKind;
  calls: number;
  /** Seconds per `calls` calls, one entry per sample, per target name. */
  seconds: Record<string, number[]>;
  errors: Record<string, number>;
  errorSamples: string[];
}

async function timeCalls(client: Client, job: SeedJob, onError: (message: string) => void): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < job.calls; i++) {
    const result = await client.post(job.path, job.bodies[i % job.bodies.length]);
    if (!result.ok) onError(result.error ?? `HTTP ${result.status}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function runSeedProtocol(job: SeedJob): Promise<SeedRun> {
  const run: SeedRun = { variant: job.variant, calls: job.calls, seconds: {}, errors: {}, errorSamples: [] };
  const persistent = new Map<string, Client>();
  for (const t of job.targets) {
    run.seconds[t.name] = [];
    run.errors[t.name] = 0;
    if (job.variant === "keepalive") persistent.set(t.name, createClient(t.url, "keepalive"));
  }
  const clientFor = (t: { name: string; url: string }) =>
    persistent.get(t.name) ?? createClient(t.url, job.variant);

  // Warm-up: one untimed sample per endpoint (JIT, connection pools, lazy imports).
  for (const t of job.targets) {
    const client = clientFor(t);
    await timeCalls(client, job, () => undefined);
    if (!persistent.has(t.name)) client.close();
  }
  for (let s = 0; s < job.samples; s++) {
    for (let k = 0; k < job.targets.length; k++) {
      const t = job.targets[(s + k) % job.targets.length];
      const client = clientFor(t);
      const seconds = await timeCalls(client, job, (message) => {
        run.errors[t.name]++;
        if (run.errorSamples.length < 5) run.errorSamples.push(`${t.name}: ${message}`);
      });
      if (!persistent.has(t.name)) client.close();
      run.seconds[t.name].push(round(seconds, 7));
    }
  }
  for (const client of persistent.values()) client.close();
  return run;
}

export interface SeedSummary {
  variant: ClientKind;
  ts: string;
  control: string;
  floor: string;
  calls: number;
  samples: number;
  perTarget: Record<string, { meanS: number; medianS: number; errors: number }>;
  /** control / endpoint, on means and on medians: how many times slower the control is. */
  ratioControlOverTs: { mean: number; median: number } | null;
  /** The seed's "mean diff. vs control": (control − endpoint) / mean(control, endpoint), in percent. */
  symmetricPercentDiff: number | null;
  /** Time beyond the floor server (client and loopback alone), per target, on medians. */
  beyondFloorMedianS: Record<string, number> | null;
}

export function summarizeSeed(
  run: SeedRun,
  tsName: string,
  controlName: string,
  floorName: string,
): SeedSummary {
  const perTarget: SeedSummary["perTarget"] = {};
  for (const name of [floorName, tsName, controlName]) {
    const seconds = run.seconds[name];
    if (!seconds) continue;
    perTarget[name] = {
      meanS: round(mean(seconds)),
      medianS: round(median(seconds)),
      errors: run.errors[name],
    };
  }
  const ts = perTarget[tsName];
  const control = perTarget[controlName];
  const floor = perTarget[floorName];
  return {
    variant: run.variant,
    ts: tsName,
    control: controlName,
    floor: floorName,
    calls: run.calls,
    samples: run.seconds[tsName]?.length ?? 0,
    perTarget,
    ratioControlOverTs:
      ts && control
        ? { mean: round(control.meanS / ts.meanS, 4), median: round(control.medianS / ts.medianS, 4) }
        : null,
    symmetricPercentDiff:
      ts && control ? round((100 * (control.meanS - ts.meanS)) / ((control.meanS + ts.meanS) / 2), 4) : null,
    beyondFloorMedianS: floor
      ? Object.fromEntries(
          Object.entries(perTarget)
            .filter(([name]) => name !== floorName)
            .map(([name, s]) => [name, round(s.medianS - floor.medianS)]),
        )
      : null,
  };
}
