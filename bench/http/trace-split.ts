/**
 * Where the time of a request goes, from Jaeger: for every traced request (matched to its client latency by
 * the trace id the client sent in `traceparent`, see latency.ts),
 *
 *   inference           = duration of the `model-inference` span
 *   server overhead     = duration of the server span − inference
 *   transport and client = client latency − duration of the server span
 *
 * reported as medians over all matched requests. Only span DURATIONS are used, never differences between
 * start timestamps of different spans (OpenTelemetry JS start times are not precise enough for that).
 * The representative trace drawn in images/ is the one with the median server-span duration, not a
 * hand-picked fast one.
 */
import { getTraces, type SpanRecord } from "../../scripts/lib/jaeger-query";
import { median, round } from "./stats";

export const INFERENCE_SPAN = "model-inference";

export interface SplitRequest {
  traceId: string;
  clientMs: number;
  serverMs: number;
  inferenceMs: number;
}

export interface DrawnSpan {
  name: string;
  kind: string;
  /** Offset of the span's start from the server span's start: for drawing only. */
  offsetMs: number;
  durationMs: number;
}

export interface TraceSplit {
  service: string;
  requests: number;
  matched: number;
  /** Requests whose trace was incomplete or missing in Jaeger (not used). */
  missing: number;
  medianMs: {
    client: number;
    server: number;
    inference: number;
    serverOverhead: number;
    transportClient: number;
  };
  /** Every matched request, so the medians can be checked and other statistics computed. */
  samples: SplitRequest[];
  representative: { traceId: string; clientMs: number; spans: DrawnSpan[] } | null;
}

const durationMs = (s: SpanRecord) => Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1e6;

/** Reads the traces of `traceIds` back from Jaeger (polling while the exporters flush) and splits the time. */
export async function traceSplit(
  queryUrl: string,
  service: string,
  traceIds: string[],
  latenciesMs: number[],
  window: { start: Date; end: Date },
  timeoutMs = 30_000,
): Promise<TraceSplit> {
  const wanted = new Set(traceIds);
  const byTrace = new Map<string, SpanRecord[]>();
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const spans = await getTraces(queryUrl, service, {
      start: window.start,
      end: window.end,
      // Room for other traces of the service in the window as well (Jaeger keeps up to 100,000).
      limit: traceIds.length * 2 + 2000,
    });
    byTrace.clear();
    for (const s of spans) {
      if (!wanted.has(s.traceId)) continue;
      byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
    }
    // Both spans: the inference span ends first and may go out in an earlier export batch than its server span.
    const complete = [...byTrace.values()].filter(
      (spans) => spans.some((s) => s.name === INFERENCE_SPAN) && spans.some((s) => s.kind === "SERVER"),
    );
    if (complete.length >= wanted.size || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }

  const samples: SplitRequest[] = [];
  traceIds.forEach((traceId, i) => {
    const spans = byTrace.get(traceId) ?? [];
    const server = spans.find((s) => s.kind === "SERVER");
    const inference = spans.find((s) => s.name === INFERENCE_SPAN);
    if (!server || !inference) return;
    samples.push({
      traceId,
      clientMs: latenciesMs[i],
      serverMs: round(durationMs(server)),
      inferenceMs: round(durationMs(inference)),
    });
  });

  const med = (f: (r: SplitRequest) => number) => round(median(samples.map(f)), 5);
  let representative: TraceSplit["representative"] = null;
  if (samples.length > 0) {
    const sorted = [...samples].sort((a, b) => a.serverMs - b.serverMs);
    const pick = sorted[(sorted.length - 1) >> 1];
    const spans = byTrace.get(pick.traceId) ?? [];
    const server = spans.find((s) => s.kind === "SERVER")!;
    representative = {
      traceId: pick.traceId,
      clientMs: pick.clientMs,
      spans: spans
        .map((s) => ({
          name: s.name,
          kind: s.kind,
          offsetMs: round(Number(s.startTimeUnixNano - server.startTimeUnixNano) / 1e6, 5),
          durationMs: round(durationMs(s), 5),
        }))
        .sort((a, b) => a.offsetMs - b.offsetMs),
    };
  }
  return {
    service,
    requests: traceIds.length,
    matched: samples.length,
    missing: traceIds.length - samples.length,
    medianMs: {
      client: med((r) => r.clientMs),
      server: med((r) => r.serverMs),
      inference: med((r) => r.inferenceMs),
      serverOverhead: med((r) => r.serverMs - r.inferenceMs),
      transportClient: med((r) => r.clientMs - r.serverMs),
    },
    samples,
    representative,
  };
}
