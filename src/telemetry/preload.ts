/**
 * OpenTelemetry tracing (the trace SDK alone: no metrics or logs), started before the app loads:
 * `node --require ./dist/src/telemetry/preload.js ...` (bin/ts-endpoint). Configured by the standard variables
 * (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, OTEL_BSP_*, ...);
 * spans go out as OTLP over HTTP/protobuf, which Jaeger ingests natively (the Jaeger exporter is deprecated).
 *
 * Per request this produces the HTTP server span from our Express middleware (server-spans.ts, named
 * "POST /inference" once Express has matched the route) and, from served-model.ts, its child
 * `model-inference`. Health probes and /metrics scrapes are not traced.
 */
import type { startTracing } from "./tracing";

if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() !== "true") {
  // Required only when tracing is on: untraced, the SDK and the exporter would add ~3 MiB of RSS for nothing.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("./tracing") as { startTracing: typeof startTracing }).startTracing();
}
