// Command fiber-peer is the seed experiment's Go endpoint, rebuilt in its shape for the benchmark: Fiber v2,
// leaves for the LightGBM model, otelfiber server spans with a `model-inference` child, OTLP over HTTP.
//
// Environment: PORT (3001), HOST (0.0.0.0), MODEL_PATH (model/model.txt), MODEL_NAME (model), and the
// OpenTelemetry variables (OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_BSP_*,
// OTEL_TRACES_SAMPLER). `fiber-peer -health` asks a running server's /ready and exits 0 or 1 (for Docker);
// `fiber-peer -floor` serves the benchmark's Go floor instead of the model (floor.go).
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	health := flag.Bool("health", false, "GET http://127.0.0.1:$PORT/ready and exit 0 if it answers 200, else 1")
	floor := flag.Bool("floor", false, "serve the benchmark's floor: a constant answer, no model (floor.go)")
	flag.Parse()
	port := env("PORT", "3001")
	if *health {
		os.Exit(checkReady(port))
	}
	serve := run
	if *floor {
		serve = serveFloor
	}
	if err := serve(env("HOST", "0.0.0.0"), port); err != nil {
		fmt.Fprintln(os.Stderr, "fiber-peer:", err)
		os.Exit(1)
	}
}

func run(host, port string) error {
	model, err := loadModel(env("MODEL_PATH", "model/model.txt"), env("MODEL_NAME", "model"))
	if err != nil {
		return err
	}
	ctx := context.Background()
	traced := tracingEnabled()
	var stopTracing func(context.Context) error
	if traced {
		provider, err := startTracing(ctx)
		if err != nil {
			return err
		}
		stopTracing = provider.Shutdown
	}
	app := newApp(model, traced)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		_ = app.ShutdownWithTimeout(5 * time.Second)
	}()
	address := net.JoinHostPort(host, port)
	fmt.Fprintf(os.Stderr, "fiber-peer: %d trees, %d features, listening on %s, tracing %v\n", model.trees, model.features, address, traced)
	if err := app.Listen(address); err != nil {
		return err
	}
	if stopTracing != nil {
		// Flushes the spans still queued in the batch processor.
		flush, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return stopTracing(flush)
	}
	return nil
}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func checkReady(port string) int {
	client := http.Client{Timeout: 2 * time.Second}
	res, err := client.Get("http://" + net.JoinHostPort("127.0.0.1", port) + "/ready")
	if err != nil {
		return 1
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
