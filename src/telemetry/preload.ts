/**
 * OpenTelemetry tracing (the trace SDK alone: no metrics or logs), started before anything else loads: `node --require ./dist/src/telemetry/preload.js ...`.
 * Preloading in CommonJS is what lets the instrumentations patch `http` and `express` when they are first
 * required. Configured by the standard variables (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_BSP_*, ...); spans go out as OTLP over HTTP/protobuf, which Jaeger ingests
 * natively (the Jaeger exporter is deprecated).
 *
 * Per request this produces the HTTP server span (named "POST /inference" once Express has matched the route)
 * and, from served-model.ts, its child `model-inference`. Express's per-layer spans are turned off: they
 * cost more than the model and say nothing a user needs. Health probes are not traced.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { ExpressInstrumentation, ExpressLayerType } from "@opentelemetry/instrumentation-express";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import {
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { DEFAULT_SERVICE_NAME } from "./names";
import { onTelemetryShutdown } from "./shutdown";

const UNTRACED = new Set(["/health", "/ready", "/v2/health/live", "/v2/health/ready"]);

function start(): void {
  const env = process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return;
  // A burst of requests must not overflow the export queue (the defaults drop spans past 2,048).
  env.OTEL_BSP_MAX_QUEUE_SIZE ??= "100000";
  env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE ??= "2048";
  env.OTEL_BSP_SCHEDULE_DELAY ??= "500";

  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the env detector) win over the default name.
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: DEFAULT_SERVICE_NAME }).merge(
    detectResources({ detectors: [hostDetector, processDetector, envDetector] }),
  );
  const provider = new NodeTracerProvider({
    resource,
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT, headers and timeout itself.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED.has((req.url ?? "").split("?")[0]),
        ignoreOutgoingRequestHook: () => true,
      }),
      new ExpressInstrumentation({
        ignoreLayersType: [
          ExpressLayerType.MIDDLEWARE,
          ExpressLayerType.ROUTER,
          ExpressLayerType.REQUEST_HANDLER,
        ],
      }),
    ],
  });
  onTelemetryShutdown(() => provider.shutdown());
}

start();
