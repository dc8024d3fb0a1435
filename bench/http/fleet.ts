/**
 * The fleet of targets one run measures, started (or found) together and stopped together.
 *
 * - "local": every role as one worker pinned to core 0 (client on core 1): the floor, the Go floor, the bare
 *   rung, the TypeScript endpoint, the Go peer and the FastAPI control, the last three with tracing on and off;
 *   and, with more than one core (and not for the seed profile), the floor, ts, go and control with all cores
 *   (see allCoresPinning); plus a private Jaeger pinned to the client's core, so span ingestion does not land on the server's core.
 * - "compose": the stack of compose.yaml (ts :3000, control :8000, Jaeger :16686; override with TS_ENDPOINT_URL,
 *   FASTAPI_CONTROL_URL, GO_PEER_URL, JAEGER_QUERY_URL) and a local floor.
 * - URLs: "ts=http://...,control=http://...,go=http://..." (or bare URLs, ts first), and a local floor.
 * For targets it did not start, the harness knows no pid: no memory or CPU figures, no tracing on/off.
 */
import { startJaeger, type Jaeger } from "../../scripts/lib/jaeger";
import { buildFiberPeer } from "../../scripts/lib/fiber-peer";
import type { Profile } from "./profiles";
import { settle, treeRssKiB } from "./resources";
import {
  coreCount,
  remoteTarget,
  startLocalTarget,
  type Role,
  type Target,
  type TargetConfig,
} from "./targets";

export const SERVER_CPUS = "0";
export const CLIENT_CPUS = "1";

/** The roles that serve the model, in the order tables list them. */
export const ENDPOINT_ROLES = ["ts", "go", "control"] as const;

export class Fleet {
  readonly targets = new Map<string, Target>();
  readonly configs: TargetConfig[] = [];
  readonly skipped: { role: Role; reason: string }[] = [];
  readonly notes: string[] = [];
  /** RSS per target right after /ready, at rest before its first load run, and the highest sampled under load. */
  readonly startupKiB = new Map<string, number>();
  readonly restKiB = new Map<string, number>();
  readonly peakKiB = new Map<string, number>();
  jaeger: Jaeger | null = null;
  jaegerQueryUrl: string | null = null;

  constructor(
    readonly local: boolean,
    readonly cores: number,
  ) {}

  get(id: string): Target {
    const target = this.targets.get(id);
    if (!target) throw new Error(`no target ${id}`);
    return target;
  }
  has(id: string): boolean {
    return this.targets.has(id);
  }
  /** The client job's name for a target. */
  spec(id: string): { name: string; url: string } {
    return { name: id, url: this.get(id).url };
  }
  /** The id of `role`'s single-worker target (the only one for remote targets), if the run has it. */
  one(role: Role, traced = false): string | null {
    const id = this.local
      ? role === "floor" || role === "go-floor" || role === "bare"
        ? `${role}-1w`
        : `${role}-1w-${traced ? "traced" : "untraced"}`
      : role;
    return this.has(id) ? id : null;
  }
  /** Client CPUs for the sequential protocols (pinned apart from the servers when there are two cores). */
  get sequentialCpus(): string | undefined {
    return this.local && this.cores >= 2 ? CLIENT_CPUS : undefined;
  }
  /** Waits until the servers and Jaeger are idle (span export finished). */
  quiet(): Promise<void> {
    const pids = [...this.targets.values()].flatMap((t) => (t.pid === null ? [] : [t.pid]));
    return settle(this.jaeger ? [...pids, this.jaeger.pid] : pids).then(() => undefined);
  }
  async stop(): Promise<void> {
    await Promise.all([...this.targets.values()].map((t) => t.stop().catch(() => undefined)));
    await this.jaeger?.stop();
  }
}

/** Starts (or finds) every target of the run; on failure stops what it started and throws. */
export async function startFleet(spec: string, profile: Profile, log: (m: string) => void): Promise<Fleet> {
  const fleet = new Fleet(spec === "local", coreCount());
  try {
    if (fleet.local) await startLocal(fleet, profile, log);
    else await findRemote(fleet, spec);
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  for (const t of fleet.targets.values()) if (t.pid !== null) fleet.startupKiB.set(t.id, treeRssKiB(t.pid));
  return fleet;
}

/**
 * With 2 cores the all-cores servers and their client share both (unpinned); with more, the client gets the
 * last core and the servers all the others (one worker per core; Go's GOMAXPROCS follows the affinity mask).
 */
export function allCoresPinning(cores: number): { serverCpus: string; clientCpus: string } | null {
  return cores > 2 ? { serverCpus: `0-${cores - 2}`, clientCpus: String(cores - 1) } : null;
}

function localConfigs(cores: number, profile: Profile, roles: Role[]): TargetConfig[] {
  const pin = cores >= 2;
  const all = allCoresPinning(cores);
  const config = (role: Role, workers: "1w" | "all", tracing: boolean | null): TargetConfig => ({
    id: tracing === null ? `${role}-${workers}` : `${role}-${workers}-${tracing ? "traced" : "untraced"}`,
    role,
    tracing,
    workers: workers === "1w" ? 1 : all ? cores - 1 : cores,
    serverCpus: workers === "1w" ? (pin ? SERVER_CPUS : null) : (all?.serverCpus ?? null),
    clientCpus: workers === "1w" ? (pin ? CLIENT_CPUS : null) : (all?.clientCpus ?? null),
  });
  const endpoints = ENDPOINT_ROLES.filter((role) => roles.includes(role));
  const configs = [config("floor", "1w", null), config("bare", "1w", null)];
  if (roles.includes("go")) configs.push(config("go-floor", "1w", null));
  for (const role of endpoints) configs.push(config(role, "1w", false), config(role, "1w", true));
  if (cores > 1 && profile.allCores) {
    configs.push(config("floor", "all", null));
    for (const role of endpoints) {
      configs.push(config(role, "all", false));
      if (profile.allCoresTraced) configs.push(config(role, "all", true));
    }
  }
  return configs;
}

async function startLocal(fleet: Fleet, profile: Profile, log: (m: string) => void): Promise<void> {
  const go = buildFiberPeer();
  if (go.skip !== undefined) {
    fleet.skipped.push({ role: "go", reason: go.skip });
    log(`Go peer skipped: ${go.skip}`);
  }
  const roles: Role[] = go.skip === undefined ? ["ts", "go", "control"] : ["ts", "control"];
  fleet.configs.push(...localConfigs(fleet.cores, profile, roles));
  // One exit listener per server (emergency stop) plus Jaeger's.
  process.setMaxListeners(Math.max(process.getMaxListeners(), fleet.configs.length + 10));
  log("starting Jaeger");
  const jaeger = await startJaeger({
    startTimeoutMs: 60_000,
    cpus: fleet.cores >= 2 ? CLIENT_CPUS : undefined,
  });
  fleet.jaeger = jaeger;
  fleet.jaegerQueryUrl = jaeger.queryUrl;
  log(`starting ${fleet.configs.length} servers: ${fleet.configs.map((c) => c.id).join(", ")}`);
  const servers = await Promise.allSettled(
    fleet.configs.map((c) =>
      startLocalTarget(c, { otlpEndpoint: jaeger.otlpHttpEndpoint, goBinary: go.binary }),
    ),
  );
  for (const s of servers) if (s.status === "fulfilled") fleet.targets.set(s.value.id, s.value);
  const failed = servers.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  if (roles.includes("go"))
    fleet.notes.push(
      "Go peer: GOMAXPROCS unset, so the Go runtime takes it from the CPU affinity mask (1 when pinned to one core)",
    );
}

async function findRemote(fleet: Fleet, spec: string): Promise<void> {
  const urls = new Map<string, string>();
  if (spec === "compose") {
    urls.set("ts", process.env.TS_ENDPOINT_URL ?? "http://127.0.0.1:3000");
    urls.set("control", process.env.FASTAPI_CONTROL_URL ?? "http://127.0.0.1:8000");
    if (process.env.GO_PEER_URL) urls.set("go", process.env.GO_PEER_URL);
  } else {
    spec
      .split(",")
      .filter((p) => p.trim() !== "")
      .forEach((part, i) => {
        const eq = part.indexOf("=");
        const named = eq > 0 && !part.slice(0, eq).includes("/");
        urls.set(named ? part.slice(0, eq) : i === 0 ? "ts" : "control", named ? part.slice(eq + 1) : part);
      });
  }
  // The floor always runs locally, next to the client, so it measures the client and the loopback.
  const floor = await startLocalTarget(remoteConfig("floor", "floor"));
  fleet.targets.set(floor.id, floor);
  fleet.configs.push(remoteConfig("floor", "floor"));
  for (const [id, url] of urls) {
    const role: Role = id.startsWith("control") ? "control" : id.startsWith("go") ? "go" : "ts";
    fleet.configs.push(remoteConfig(id, role));
    fleet.targets.set(id, remoteTarget(remoteConfig(id, role), url));
  }
  fleet.jaegerQueryUrl =
    process.env.JAEGER_QUERY_URL ?? (spec === "compose" ? "http://127.0.0.1:16686" : null);
  fleet.notes.push(
    "remote targets: no server pids, so no memory or CPU figures and no tracing on/off switch",
  );
  fleet.notes.push("versions of Python packages are the local venv's; the remote servers' may differ");
}

function remoteConfig(id: string, role: Role): TargetConfig {
  return { id, role, tracing: null, workers: null, serverCpus: null, clientCpus: null };
}
