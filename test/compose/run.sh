#!/usr/bin/env bash
# End-to-end test of compose.yaml on a real Docker engine: builds the TypeScript endpoint and the FastAPI control
# images, starts them with Jaeger and Prometheus, sends the same row to both endpoints, checks that they agree,
# that both services' traces reached Jaeger and that Prometheus counted the request, then removes everything.
#
# It runs its own engine (scripts/docker/engine.sh: dockerd with vfs storage, no iptables, its socket and data
# under a temporary directory), makes stand-ins for the official base images when the engine lacks them
# (scripts/docker/standin-images.sh; no registry is reachable here) and builds with docker-compose 1.29 and
# docker/compose.test.yaml on top of compose.yaml (builds use the host's network). What it needs and lacks it
# installs with apt-get (docker.io, docker-compose, debootstrap, curl). It skips, exiting 0, only when the Docker
# engine is neither installed nor installable (no apt-get, or not root).
#
# Environment: COMPOSE_TEST_TIMEOUT (seconds to wait for healthy services, default 300),
#              COMPOSE_TEST_KEEP=1 (leave the engine and its data running for inspection; prints how to stop it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

PROJECT=lgbmtse2e
HEALTH_TIMEOUT="${COMPOSE_TEST_TIMEOUT:-300}"
started=$SECONDS
phase_name=""
phase_start=$SECONDS
timings=()
passed=0

say() { echo "compose test: $*"; }
phase() {
  phase_end
  phase_name=$1
  phase_start=$SECONDS
  say "== $1"
}
phase_end() {
  [ -n "$phase_name" ] && timings+=("$(printf '%-28s %4ds' "$phase_name" $((SECONDS - phase_start)))")
  phase_name=""
}
ok() {
  passed=$((passed + 1))
  say "ok - $*"
}
fail() {
  say "FAILED: $*"
  exit 1
}

# --- tools -----------------------------------------------------------------------------------------------------
phase "tools"
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif ! command -v dockerd >/dev/null 2>&1; then
    say "SKIPPED: no Docker engine (dockerd) here, and apt-get is not usable to install one (needs root)"
    exit 0
  else
    fail "missing ${missing[*]} and no apt-get (as root) to install them"
  fi
fi
[ "$(id -u)" = 0 ] || {
  say "SKIPPED: running a private Docker engine needs root"
  exit 0
}
for tool in dockerd docker docker-compose curl; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is still missing"
done
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || fail "python3 is needed for the checks"
# docker-compose 1.29 builds through docker-py's classic builder (the docker CLI may be one that wants buildx).
export COMPOSE_DOCKER_CLI_BUILD=0 DOCKER_BUILDKIT=0
export COMPOSE_PROJECT_NAME=$PROJECT
compose() { docker-compose -f compose.yaml -f docker/compose.test.yaml "$@"; }

# --- engine ----------------------------------------------------------------------------------------------------
phase "engine"
# A short path: the engine's unix socket lives in it.
STATE="$(mktemp -d /tmp/compose-e2e.XXXXXX)"
engine_up=0
compose_up=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  phase_end
  if [ "${COMPOSE_TEST_KEEP:-0}" = 1 ] && [ "$engine_up" = 1 ]; then
    say "COMPOSE_TEST_KEEP=1: left running; DOCKER_HOST=$DOCKER_HOST; stop with: bash scripts/docker/engine.sh stop $STATE"
  else
    local t=$SECONDS
    if [ "$compose_up" = 1 ]; then
      [ "$rc" = 0 ] || { say "logs of the services:"; compose logs --no-color --tail=40 2>&1 | sed 's/^/  | /' || true; }
      compose down -v --rmi local --remove-orphans >"$STATE.down.log" 2>&1 || {
        say "compose down failed:"
        sed 's/^/  | /' "$STATE.down.log"
      }
    fi
    bash scripts/docker/engine.sh stop "$STATE" || say "could not stop the engine in $STATE"
    rm -f "$STATE.down.log"
    timings+=("$(printf '%-28s %4ds' "teardown" $((SECONDS - t)))")
  fi
  say "timings:"
  for line in "${timings[@]}"; do echo "  $line"; done
  echo "  $(printf '%-28s %4ds' total $((SECONDS - started)))"
  if [ "$rc" = 0 ]; then
    echo "compose: $passed passed, 0 failed"
  else
    echo "compose: $passed passed, 1 failed"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
engine_up=1
bash scripts/docker/engine.sh start "$STATE" >/dev/null
export DOCKER_HOST="unix://$STATE/docker.sock"
say "engine $(docker version --format '{{.Server.Version}}') at $DOCKER_HOST"

# --- base images -----------------------------------------------------------------------------------------------
phase "base images"
bash scripts/docker/standin-images.sh all

# --- build -----------------------------------------------------------------------------------------------------
phase "build"
# Free host ports, so a developer's own services on 3000/8000/16686 do not get in the way.
read -r TS_PORT CONTROL_PORT JAEGER_UI_PORT JAEGER_OTLP_GRPC_PORT JAEGER_OTLP_HTTP_PORT PROMETHEUS_PORT < <("$PYTHON" -c '
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
')
export TS_PORT CONTROL_PORT JAEGER_UI_PORT JAEGER_OTLP_GRPC_PORT JAEGER_OTLP_HTTP_PORT PROMETHEUS_PORT
compose config -q
BUILD_LOG="$(mktemp /tmp/compose-e2e-build.XXXXXX.log)"
if ! compose build --parallel >"$BUILD_LOG" 2>&1; then
  # The two builds' output interleaves: show the errors first, then the end.
  grep -E 'error|ERR!|Error|failed' "$BUILD_LOG" | grep -v '^Removing' | head -n 40 | sed 's/^/  ! /' || true
  tail -n 30 "$BUILD_LOG" | sed 's/^/  | /'
  fail "docker-compose build (whole log: $BUILD_LOG)"
fi
rm -f "$BUILD_LOG"
for svc in ts-endpoint fastapi-control; do
  say "image ${PROJECT}_$svc: $(docker image inspect -f '{{.Size}}' "${PROJECT}_$svc" | awk '{printf "%.0f MB", $1 / 1e6}')"
done
ok "both images build"

# --- up --------------------------------------------------------------------------------------------------------
phase "up until healthy"
compose_up=1
compose up -d --no-build 2>&1 | sed 's/^/  | /'
deadline=$((SECONDS + HEALTH_TIMEOUT))
while :; do
  states=""
  all_healthy=1
  for svc in jaeger ts-endpoint fastapi-control prometheus; do
    cid="$(compose ps -q "$svc" 2>/dev/null || true)"
    state="absent"
    [ -n "$cid" ] && state="$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$cid")"
    states+=" $svc=$state"
    case "$state" in
      running/healthy) ;;
      running/starting | absent | created/*) all_healthy=0 ;;
      *) fail "$svc is $state" ;;
    esac
  done
  [ "$all_healthy" = 1 ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "not healthy after ${HEALTH_TIMEOUT}s:$states"
  sleep 2
done
ok "jaeger, ts-endpoint, fastapi-control and prometheus are healthy"

# --- checks ----------------------------------------------------------------------------------------------------
phase "checks"
row='[0.5, -1.2, 3.3, 0.0, 2.1, -0.7, 1.4, -2.2, 0.9, 1.1, -0.3, 0.8, -1.5, 2.7, 0.2, -0.9, 1.8, -2.6, 0.4, 1.0]'
post() { curl -fsS --max-time 10 -H 'content-type: application/json' -d "{\"data\": $row}" "$1"; }
ts_answer="$(post "http://127.0.0.1:$TS_PORT/inference")" || fail "POST /inference to ts-endpoint"
py_answer="$(post "http://127.0.0.1:$CONTROL_PORT/inference")" || fail "POST /inference to fastapi-control"
"$PYTHON" - "$ts_answer" "$py_answer" <<'EOF' || fail "the two endpoints disagree"
import json, math, sys
ts, py = (json.loads(a)["prediction"] for a in sys.argv[1:3])
print(f"compose test:   ts-endpoint {ts!r}, fastapi-control {py!r}")
assert isinstance(ts, float) and isinstance(py, float) and math.isfinite(ts) and math.isfinite(py)
assert abs(ts - py) <= 1e-12 * max(abs(ts), abs(py), 1e-300), f"relative difference {abs(ts - py) / max(abs(ts), abs(py))}"
EOF
ok "both endpoints answer POST /inference and agree within 1e-12 (relative)"

# Both services export spans in batches (a few seconds): poll Jaeger's query API for them.
deadline=$((SECONDS + 60))
while :; do
  services="$(curl -fsS --max-time 5 "http://127.0.0.1:$JAEGER_UI_PORT/api/services" 2>/dev/null || true)"
  if "$PYTHON" - "$services" <<'EOF'; then break; fi
import json, sys
try:
    names = set(json.loads(sys.argv[1])["data"] or [])
except (ValueError, KeyError, TypeError):
    sys.exit(1)
sys.exit(0 if {"ts-endpoint", "fastapi-control"} <= names else 1)
EOF
  [ "$SECONDS" -lt "$deadline" ] || fail "Jaeger lists services ${services:-(no answer)}; expected ts-endpoint and fastapi-control"
  sleep 2
done
for svc in ts-endpoint fastapi-control; do
  traces="$(curl -fsS --max-time 5 "http://127.0.0.1:$JAEGER_UI_PORT/api/traces?service=$svc&limit=20")"
  "$PYTHON" - "$traces" "$svc" <<'EOF' || fail "no trace of $svc's POST /inference in Jaeger"
import json, sys
data = json.loads(sys.argv[1])["data"] or []
spans = [s["operationName"] for t in data for s in t["spans"]]
print(f"compose test:   {sys.argv[2]}: {len(data)} traces, operations {sorted(set(spans))}")
assert any("inference" in name.lower() for name in spans)
EOF
done
ok "Jaeger has traces of both services' inference"

# Prometheus scrapes every 5 s: poll its query API until it has counted the POST /inference sent to each.
deadline=$((SECONDS + 60))
for job in ts-endpoint fastapi-control; do
  query="sum(http_requests_total{job=\"$job\",route=\"/inference\",status=\"200\"})"
  while :; do
    answer="$(curl -fsS --max-time 5 -G --data-urlencode "query=$query" "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/query" 2>/dev/null || true)"
    if "$PYTHON" - "$answer" <<'EOF'; then break; fi
import json, sys
try:
    result = json.loads(sys.argv[1])["data"]["result"]
except (ValueError, KeyError, TypeError):
    sys.exit(1)
sys.exit(0 if result and float(result[0]["value"][1]) >= 1 else 1)
EOF
    [ "$SECONDS" -lt "$deadline" ] || fail "Prometheus answers ${answer:-nothing} for $query; expected at least 1"
    sleep 2
  done
done
ok "Prometheus scraped both endpoints' /metrics and counted their POST /inference"
phase_end
