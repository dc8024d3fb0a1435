#!/usr/bin/env bash
# Run Jaeger (v2, in-memory storage) in the foreground with
# scripts/jaeger/config.yaml, building the binary first if it is not cached
# (see ensure.sh). Default ports: OTLP gRPC 4317, OTLP HTTP 4318, query API and
# UI 16686 (query gRPC 16685), bound to 127.0.0.1; override with the variables
# documented in config.yaml, e.g. JAEGER_HOST=0.0.0.0 to listen on all
# interfaces. Extra arguments are passed on to the jaeger binary.
#
# Note: a Jaeger built from its Go module serves a placeholder page instead of
# the web UI (the UI assets are not part of the module); the query APIs work.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
jaeger_bin="$(bash "$here/ensure.sh")"

export JAEGER_HOST="${JAEGER_HOST:-127.0.0.1}"
export JAEGER_OTLP_GRPC_PORT="${JAEGER_OTLP_GRPC_PORT:-4317}"
export JAEGER_OTLP_HTTP_PORT="${JAEGER_OTLP_HTTP_PORT:-4318}"
export JAEGER_QUERY_HTTP_PORT="${JAEGER_QUERY_HTTP_PORT:-16686}"
export JAEGER_QUERY_GRPC_PORT="${JAEGER_QUERY_GRPC_PORT:-16685}"

echo "jaeger: OTLP gRPC ${JAEGER_HOST}:${JAEGER_OTLP_GRPC_PORT}, OTLP HTTP http://${JAEGER_HOST}:${JAEGER_OTLP_HTTP_PORT}, query http://${JAEGER_HOST}:${JAEGER_QUERY_HTTP_PORT}" >&2
exec "$jaeger_bin" --config "$here/config.yaml" "$@"
