/**
 * Reading traces back from a Jaeger (v2) through its `/api/v3` HTTP query API, for the tests and the benchmark's
 * time split. Jaeger answers one JSON object (served as text/plain) holding all matching traces as OTLP JSON,
 * wrapped as `{"result": {"resourceSpans": [...]}}`: hex ids, enums as numbers, 64-bit integers as strings; and a
 * 404 with `{"error": {"httpCode": 404, "message": "No traces found"}}` when nothing matches. The helpers flatten
 * that into `SpanRecord`s.
 */
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
