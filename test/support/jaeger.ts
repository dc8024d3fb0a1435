/**
 * A real Jaeger (v2, in-memory storage) for tests.
 *
 * `startJaeger()` gets the cached binary from scripts/jaeger/ensure.sh (building it on first use, which takes
 * minutes), runs it with scripts/jaeger/config.yaml on free loopback ports and resolves once both the query API
 * and the OTLP receivers answer. The query helpers read traces back through Jaeger's `/api/v3` HTTP API, which
 * answers one JSON object (served as text/plain) holding all matching traces as OTLP JSON, wrapped as
 * `{"result": {"resourceSpans": [...]}}`: hex ids, enums as numbers, 64-bit integers as strings; and a 404 with
 * `{"error": {"httpCode": 404, "message": "No traces found"}}` when nothing matches. The helpers flatten that
 * into `SpanRecord`s.
 *
 * Environment: `JAEGER_BIN` uses that binary instead of ensure.sh; `JAEGER_TEST_LOGS=1` copies Jaeger's log to
 * stderr (otherwise its tail is only shown when start-up fails).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export interface Jaeger {
  /** Base URL of the OTLP/HTTP receiver; POST traces to `${otlpHttpEndpoint}/v1/traces`. */
  otlpHttpEndpoint: string;
  /** OTLP/gRPC receiver, as `http://127.0.0.1:<port>` (the form OTel gRPC exporters take). */
  otlpGrpcEndpoint: string;
  /** Base URL of the query HTTP API (`/api/v3/...`, legacy `/api/...`). */
  queryUrl: string;
  pid: number;
  /** Sends SIGTERM (SIGKILL after 5 s) and resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** One span as Jaeger returns it, flattened out of its resource and scope. */
export interface SpanRecord {
  /** Lower-case hex, 32 characters. */
  traceId: string;
  /** Lower-case hex, 16 characters. */
  spanId: string;
  /** Lower-case hex, or "" for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP span kind without its prefix: "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" or "UNSPECIFIED". */
  kind: string;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
  /** OTLP status code without its prefix: "UNSET", "OK" or "ERROR". */
  status: { code: string; message: string };
  /** The resource's `service.name`. */
  serviceName: string;
  resourceAttributes: Record<string, AttributeValue>;
  scopeName: string;
}

export interface GetTracesOptions {
  /** Only traces that started at or after this time; default: `lookbackMs` before now. */
  start?: Date;
  /** Only traces that started at or before this time; default: one minute from now. */
  end?: Date;
  /** Used when `start` is not given; default one hour. */
  lookbackMs?: number;
  operation?: string;
  /** Maximum number of traces (`query.num_traces`, required by Jaeger: 1 to max_traces - 1); default 100. */
  limit?: number;
}

const REPO_ROOT = findRepoRoot(__dirname);
const ENSURE_SCRIPT = path.join(REPO_ROOT, "scripts", "jaeger", "ensure.sh");
const CONFIG_FILE = path.join(REPO_ROOT, "scripts", "jaeger", "config.yaml");
const HOST = "127.0.0.1";

/** Starts a Jaeger on free loopback ports; retries with new ports if one was taken in the meantime. */
export async function startJaeger(options: { startTimeoutMs?: number } = {}): Promise<Jaeger> {
  const binary = process.env.JAEGER_BIN || (await ensureBinary());
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(binary, options.startTimeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Finds spans of `service` (the resource's `service.name`) through `/api/v3/traces`. */
export async function getTraces(
  queryUrl: string,
  service: string,
  opts: GetTracesOptions = {},
): Promise<SpanRecord[]> {
  const end = opts.end ?? new Date(Date.now() + 60_000);
  const start = opts.start ?? new Date(Date.now() - (opts.lookbackMs ?? 3_600_000));
  const params = new URLSearchParams({
    "query.service_name": service,
    "query.start_time_min": start.toISOString(),
    "query.start_time_max": end.toISOString(),
    "query.num_traces": String(opts.limit ?? 100),
  });
  if (opts.operation !== undefined) params.set("query.operation_name", opts.operation);
  const response = await fetch(`${queryUrl}/api/v3/traces?${params}`);
  const body = await response.text();
  if (response.status === 404) return []; // Jaeger's answer for "no traces found"
  if (!response.ok) throw new Error(`GET /api/v3/traces: HTTP ${response.status}: ${body}`);
  return parseJsonStream(body).flatMap((message) => flattenSpans(unwrapResult(message)));
}

/**
 * Polls `getTraces` until `predicate` accepts the spans found, and returns them. On timeout, throws an error
 * that lists the spans seen last.
 */
export async function waitForSpans(
  queryUrl: string,
  service: string,
  predicate: (spans: SpanRecord[]) => boolean,
  timeoutMs = 10_000,
  opts: GetTracesOptions = {},
): Promise<SpanRecord[]> {
  const deadline = Date.now() + timeoutMs;
  let spans: SpanRecord[] = [];
  while (true) {
    spans = await getTraces(queryUrl, service, opts);
    if (predicate(spans)) return spans;
    if (Date.now() >= deadline) break;
    await sleep(200);
  }
  const seen = spans.map((s) => `${s.name} (${s.spanId} <- ${s.parentSpanId || "root"})`).join(", ");
  throw new Error(`no matching spans for service "${service}" after ${timeoutMs} ms; last seen: [${seen}]`);
}

/** The service names Jaeger has seen, from `/api/v3/services` (`{"services": [...]}`). */
export async function listServices(queryUrl: string): Promise<string[]> {
  const response = await fetch(`${queryUrl}/api/v3/services`);
  if (!response.ok)
    throw new Error(`GET /api/v3/services: HTTP ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { services?: string[] };
  return body.services ?? [];
}

// ---------------------------------------------------------------------------------------------------------------

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "scripts", "jaeger", "ensure.sh"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`scripts/jaeger/ensure.sh not found above ${from}`);
  }
}

/** Runs ensure.sh (its build progress goes to our stderr) and returns the binary path it prints. */
function ensureBinary(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [ENSURE_SCRIPT], { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const binary = stdout.trim();
      if (code === 0 && binary !== "") resolve(binary);
      else reject(new Error(`scripts/jaeger/ensure.sh failed (exit code ${code})`));
    });
  });
}

async function launch(binary: string, startTimeoutMs: number): Promise<Jaeger> {
  const [otlpGrpc, otlpHttp, queryHttp, queryGrpc] = await freePorts(4);
  const child = spawn(binary, ["--config", CONFIG_FILE], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      JAEGER_HOST: HOST,
      JAEGER_OTLP_GRPC_PORT: String(otlpGrpc),
      JAEGER_OTLP_HTTP_PORT: String(otlpHttp),
      JAEGER_QUERY_HTTP_PORT: String(queryHttp),
      JAEGER_QUERY_GRPC_PORT: String(queryGrpc),
    },
  });
  let log = "";
  const keepLog = (chunk: Buffer) => {
    if (process.env.JAEGER_TEST_LOGS === "1") process.stderr.write(chunk);
    log = (log + chunk.toString("utf8")).slice(-8_000);
  };
  child.stdout?.on("data", keepLog);
  child.stderr?.on("data", keepLog);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await terminate(child, exited);
  };
  const queryUrl = `http://${HOST}:${queryHttp}`;
  try {
    await waitUntilReady(child, exited, startTimeoutMs, [
      () => fetch(`${queryUrl}/api/v3/services`).then((r) => r.ok),
      () => canConnect(otlpHttp),
      () => canConnect(otlpGrpc),
    ]);
  } catch (error) {
    await stop();
    throw new Error(`Jaeger did not start: ${(error as Error).message}\n--- Jaeger log (tail) ---\n${log}`);
  }
  return {
    otlpHttpEndpoint: `http://${HOST}:${otlpHttp}`,
    otlpGrpcEndpoint: `http://${HOST}:${otlpGrpc}`,
    queryUrl,
    pid: child.pid as number,
    stop,
  };
}

async function waitUntilReady(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  checks: (() => Promise<boolean>)[],
): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (hasExited)
      throw new Error(`the process exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    const results = await Promise.all(checks.map((check) => check().catch(() => false)));
    if (results.every(Boolean)) return;
    if (Date.now() >= deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.pid !== undefined) process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Asks the OS for `count` distinct free ports on the loopback interface (holding them all until each is known). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once("error", reject);
          server.listen(0, HOST, () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- OTLP JSON -------------------------------------------------------------------------------------------------

interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  kind?: string | number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  status?: { code?: string | number; message?: string };
}
interface OtlpTracesData {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
}

const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const STATUS_CODES = ["UNSET", "OK", "ERROR"];

/** Parses one JSON document, or several concatenated ones separated by newlines (a streamed answer). */
function parseJsonStream(body: string): unknown[] {
  try {
    return [JSON.parse(body)];
  } catch {
    return body
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as unknown);
  }
}

function unwrapResult(message: unknown): OtlpTracesData {
  const wrapped = message as { result?: OtlpTracesData; error?: unknown };
  if (wrapped.error !== undefined) throw new Error(`Jaeger query error: ${JSON.stringify(wrapped.error)}`);
  return wrapped.result ?? (message as OtlpTracesData);
}

function flattenSpans(data: OtlpTracesData): SpanRecord[] {
  const records: SpanRecord[] = [];
  for (const resourceSpans of data.resourceSpans ?? []) {
    const resourceAttributes = toRecord(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        records.push({
          traceId: toHexId(span.traceId),
          spanId: toHexId(span.spanId),
          parentSpanId: toHexId(span.parentSpanId),
          name: span.name ?? "",
          kind: enumName(span.kind, SPAN_KINDS, "SPAN_KIND_"),
          startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
          endTimeUnixNano: BigInt(span.endTimeUnixNano ?? 0),
          attributes: toRecord(span.attributes),
          status: {
            code: enumName(span.status?.code, STATUS_CODES, "STATUS_CODE_"),
            message: span.status?.message ?? "",
          },
          serviceName: String(resourceAttributes["service.name"] ?? ""),
          resourceAttributes,
          scopeName: scopeSpans.scope?.name ?? "",
        });
      }
    }
  }
  return records;
}

/** OTLP/JSON ids are hex; protobuf-style JSON would give base64. Either way, return lower-case hex. */
function toHexId(id: string | undefined): string {
  if (!id) return "";
  if (/^[0-9a-fA-F]+$/.test(id) && (id.length === 16 || id.length === 32)) return id.toLowerCase();
  return Buffer.from(id, "base64").toString("hex");
}

function enumName(value: string | number | undefined, names: string[], prefix: string): string {
  if (typeof value === "number") return names[value] ?? String(value);
  if (value === undefined || value === "") return names[0];
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

function toRecord(attributes: OtlpKeyValue[] | undefined): Record<string, AttributeValue> {
  const record: Record<string, AttributeValue> = {};
  for (const { key, value } of attributes ?? []) record[key] = toValue(value);
  return record;
}

function toValue(value: OtlpAnyValue | undefined): AttributeValue {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(toValue);
  if (value.kvlistValue !== undefined) return toRecord(value.kvlistValue.values);
  return null;
}
