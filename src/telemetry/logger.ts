/**
 * Structured logs (pino): one JSON line per event on stderr, with the fields the FastAPI control writes too:
 * `{"level": "info", "time": "<ISO-8601>", "service": "ts-endpoint", "msg": "...", ...}`, plus `trace_id` and
 * `span_id` whenever a span is active, so a line leads to its trace in Jaeger. LOG_FORMAT=pretty turns the lines
 * into coloured text for a terminal (pino-pretty, in process).
 */
import { trace } from "@opentelemetry/api";
import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly service: string;
}

/** The active span's ids, in the field names both services use. */
export function spanFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (span === undefined) return {}; // a new object: pino merges the line's fields into it
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export function createLogger(
  { level, format, service }: LoggerOptions,
  destination: DestinationStream = format === "pretty"
    ? pretty({ destination: 2, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "hostname" })
    : pino.destination({ dest: 2, sync: true }),
): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: spanFields,
    },
    destination,
  );
}
