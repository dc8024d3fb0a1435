#!/bin/sh
# Garbage collection per request of the TypeScript endpoint under the seed protocol's load: starts bin/ts-endpoint's
# node command with --trace-gc-nvp (server pinned to CPU 0, spans to otlp-sink.js), sends sequential keep-alive
# single-row calls from a client pinned to CPU 1, and prints, for the calls after a warm-up run: the scavenges and
# full collections, their mean pause, what each scavenge promoted, and the GC pause per call. Run `npm run build`
# first; on a shared machine, run nothing else meanwhile. Extra node flags to try go in NODE_FLAGS. The endpoint's
# busy polling (BUSY_POLL_US, default 50) allocates one small object per turn of the loop while it polls; set
# BUSY_POLL_US=0 to see the request path's own garbage.
#   bash bench/profile/gc-per-call.sh [traced|untraced] [calls=20000]
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/bench/profile/wait-ready.sh"
mode="${1:-untraced}"
calls="${2:-20000}"
free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(free_port)
sink_port=$(free_port)
disabled=true
[ "$mode" = traced ] && disabled=false
log=$(mktemp)
trap 'rm -f "$log"' EXIT

PORT=$sink_port taskset -c 1 node "$root/dist/bench/profile/otlp-sink.js" >/dev/null &
sink=$!
# The same flags as bin/ts-endpoint, plus the GC trace (appended to the log, which the script marks below).
PORT=$port HOST=127.0.0.1 OTEL_SDK_DISABLED=$disabled OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" \
  taskset -c 0 node --trace-gc-nvp ${NODE_FLAGS:-} \
  $(sed -n 's/^exec node \(.*\) --require.*/\1/p' "$root/bin/ts-endpoint") \
  --require "$root/dist/src/telemetry/preload.js" "$root/dist/src/main.js" >>"$log" 2>&1 &
server=$!
wait_ready "$port" "$server" "$sink"
taskset -c 1 node "$root/dist/bench/profile/drive.js" "http://127.0.0.1:$port" 3000 >/dev/null
echo "load from here" >>"$log"
taskset -c 1 node "$root/dist/bench/profile/drive.js" "http://127.0.0.1:$port" "$calls" | tail -1
kill -TERM $server
wait $server || true
kill -TERM $sink
wait $sink 2>/dev/null || true
node "$root/dist/bench/profile/gc-summary.js" "$log" --calls "$calls"
