/**
 * The tracing SDK's start-up, loaded by preload.ts only when tracing is on: tracer provider with the W3C
 * propagator and the sampler from OTEL_TRACES_SAMPLER, resource, batch processor and OTLP/protobuf exporter.
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
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
import { DEFAULT_SERVICE_NAME, TRACER_NAME } from "./names";
import { enableServerSpans } from "./server-spans";
import { onTelemetryShutdown } from "./shutdown";

export function startTracing(): void {
  const env = process.env;
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
  // The server span comes from our middleware (server-spans.ts), not from the http/express instrumentations.
  enableServerSpans(provider.getTracer(TRACER_NAME));
  onTelemetryShutdown(() => provider.shutdown());
}
