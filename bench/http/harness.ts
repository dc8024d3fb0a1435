/**
 * The HTTP benchmark, orchestrated: starts (or finds) the fleet of servers (fleet.ts), runs each protocol
 * (protocols/) through the separate client process, and returns one result object with every sample
 * (result.ts). Nothing is written here (see write-results.ts). The CLI, the notebook (through the CLI) and the
 * test all run this one implementation.
 */
import * as os from "node:os";
import { machineInfo } from "../machine";
import { CLIENT_CPUS, SERVER_CPUS, startFleet } from "./fleet";
import { inputsGenerator } from "./inputs";
import { PROFILES, type ProfileName } from "./profiles";
import { runLatency } from "./protocols/latency";
import { memoryRecords } from "./protocols/memory";
import { runOpenLoop } from "./protocols/open-loop";
import { runRowsPerRequest } from "./protocols/rows";
import { runSanity } from "./protocols/sanity";
import { runSeedPhase } from "./protocols/seed";
import { INFERENCE } from "./protocols/targets";
import { runThroughput } from "./protocols/throughput";
import { runTraceSplit } from "./protocols/trace-split";
import type { BenchResult } from "./result";
import { processTree } from "./resources";
import { scaling } from "./scaling";
import { round } from "./stats";
import { summarize } from "./summary";
import { versions } from "./versions";

export type { BenchResult } from "./result";

export interface HarnessOptions {
  profile: ProfileName;
  /** "local", "compose", or a comma-separated list of URLs (optionally name=URL). */
  targets: string;
  log?: (message: string) => void;
}

const NO_LATENCY: BenchResult["latency"] = {
  clientCpus: null,
  latenciesMs: {},
  summary: {},
  tracingCost: [],
};

/** Runs the whole benchmark (or, for the seed profile, the cost ladder only) and returns its result. */
export async function runBenchmark(options: HarnessOptions): Promise<BenchResult> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const profile = PROFILES[options.profile];
  const startedAt = new Date();
  const loadStart = os.loadavg().map((v) => round(v, 3));
  const fleet = await startFleet(options.targets, profile, log);
  try {
    const sanity = await runSanity(fleet, log);
    const { seed, ladder } = await runSeedPhase(fleet, profile, log);
    const full = !profile.seedOnly;
    const latency = full ? await runLatency(fleet, profile, log) : NO_LATENCY;
    const traceSplit = full ? await runTraceSplit(fleet, profile, log) : {};
    const load = full ? await runThroughput(fleet, profile, log) : [];
    const rows = full ? await runRowsPerRequest(fleet, profile, log) : [];
    const openLoop = full ? await runOpenLoop(fleet, profile, load, log) : [];
    const finishedAt = new Date();
    const result: BenchResult = {
      schema: 2,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationS: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 5),
      profile,
      settings: {
        targets: options.targets,
        mode: fleet.local ? "local" : "remote",
        cores: fleet.cores,
        pinning:
          fleet.local && fleet.cores >= 2 ? { serverCpus: SERVER_CPUS, clientCpus: CLIENT_CPUS } : null,
        path: INFERENCE,
        inputs: inputsGenerator(),
        model: fleet.local ? "model/model.txt" : "as deployed",
        jaegerQueryUrl: fleet.jaegerQueryUrl,
        loadAverage: { start: loadStart, end: os.loadavg().map((v) => round(v, 3)) },
      },
      machine: machineInfo(),
      versions: await versions(),
      targets: fleet.configs.map((c) => {
        const t = fleet.get(c.id);
        return { ...c, url: t.url, pid: t.pid, processes: t.pid !== null ? processTree(t.pid).length : null };
      }),
      skipped: fleet.skipped,
      sanity,
      seed,
      ladder,
      latency,
      traceSplit,
      load,
      rows,
      openLoop,
      scaling: scaling(load, profile.load.levels, fleet.cores),
      memory: memoryRecords(fleet),
      summary: {},
      notes: fleet.notes,
    };
    result.summary = summarize(result);
    return result;
  } finally {
    await fleet.stop();
  }
}
