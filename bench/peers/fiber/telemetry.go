package main

import (
	"context"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

const (
	tracerName          = "lightgbm-ts-serving" // the TypeScript endpoint's and the control's tracer name
	spanModelInference  = "model-inference"
	defaultServiceName  = "go-fiber"
	defaultMaxQueueSize = 100_000 // like src/telemetry/preload.ts: 5,000 quick requests lose no span
)

// tracing is on unless OTEL_SDK_DISABLED=true; then no tracer provider exists and no middleware runs.
func tracingEnabled() bool {
	return !strings.EqualFold(strings.TrimSpace(os.Getenv("OTEL_SDK_DISABLED")), "true")
}

// startTracing installs a tracer provider exporting OTLP over HTTP/protobuf (OTEL_EXPORTER_OTLP_ENDPOINT,
// default http://localhost:4318) through a batch span processor, and the W3C trace-context propagator.
// The sampler follows OTEL_TRACES_SAMPLER (default parent-based always-on).
func startTracing(ctx context.Context) (*sdktrace.TracerProvider, error) {
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, err
	}
	service := os.Getenv("OTEL_SERVICE_NAME")
	if service == "" {
		service = defaultServiceName
	}
	res, err := resource.Merge(resource.Default(), resource.NewSchemaless(attribute.String("service.name", service)))
	if err != nil {
		return nil, err
	}
	var batch []sdktrace.BatchSpanProcessorOption
	if os.Getenv("OTEL_BSP_MAX_QUEUE_SIZE") == "" {
		batch = append(batch, sdktrace.WithMaxQueueSize(defaultMaxQueueSize))
	}
	provider := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter, batch...), sdktrace.WithResource(res))
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return provider, nil
}

// inferenceSpan starts the `model-inference` child span, with the attributes the TypeScript endpoint sets.
func inferenceSpan(ctx context.Context, tracer trace.Tracer, m *servedModel, rows int) trace.Span {
	_, span := tracer.Start(ctx, spanModelInference, trace.WithAttributes(
		attribute.String("model.name", m.name),
		attribute.String("model.version", m.version),
		attribute.Int("model.num_trees", m.trees),
		attribute.Int("model.batch_rows", rows),
		attribute.String("model.output", "value"),
	))
	return span
}
