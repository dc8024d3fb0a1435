#!/bin/sh
# CPU profile of the TypeScript endpoint under the seed protocol's load: starts bin/ts-endpoint's node command
# with --cpu-prof (server pinned to CPU 0), sends sequential keep-alive single-row calls from a client pinned to
# CPU 1, stops the server with SIGTERM (V8 writes the profile on exit) and prints the top self-time packages and
# functions. Run `npm run build` first; on a shared machine, run nothing else meanwhile.
#   bash bench/profile/cpu-profile.sh [traced|untraced] [calls=20000]
# The .cpuprofile stays in bench/results/profiles/ (open it in Chrome DevTools or speedscope for the call tree).
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
. "$root/bench/profile/wait-ready.sh"
mode="${1:-untraced}"
calls="${2:-20000}"
out="$root/bench/results/profiles"
mkdir -p "$out"
port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
sink_port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
disabled=true
[ "$mode" = traced ] && disabled=false
stamp=$(date -u +%Y%m%dT%H%M%S)
name="ts-$mode-$stamp.cpuprofile"

PORT=$sink_port taskset -c 1 node "$root/dist/bench/profile/otlp-sink.js" &
sink=$!
# The same flags as bin/ts-endpoint, plus the profiler (NODE_OPTIONS would not reach a child's argv order).
# BUSY_POLL_US=0 unless set: the profile is of the request path, and the polling between calls would count as busy.
BUSY_POLL_US=${BUSY_POLL_US:-0} PORT=$port HOST=127.0.0.1 OTEL_SDK_DISABLED=$disabled OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink_port" \
  taskset -c 0 node --cpu-prof --cpu-prof-interval 100 --cpu-prof-dir="$out" --cpu-prof-name="$name" \
  $(sed -n 's/^exec node \(.*\) --require.*/\1/p' "$root/bin/ts-endpoint") \
  --require "$root/dist/src/telemetry/preload.js" "$root/dist/src/main.js" &
server=$!
wait_ready "$port" "$server" "$sink"
# A first run warms the request path; the summary counts only the second (from the time drive.js prints).
taskset -c 1 node "$root/dist/bench/profile/drive.js" "http://127.0.0.1:$port" 3000 >/dev/null
from=$(taskset -c 1 node "$root/dist/bench/profile/drive.js" "http://127.0.0.1:$port" "$calls" | tee /dev/stderr |
  sed -n 's/^load from \([0-9]*\) µs$/\1/p')
kill -TERM $server
wait $server || true
kill -TERM $sink
wait $sink 2>/dev/null || true
node "$root/dist/bench/profile/profile-summary.js" "$out/$name" --from "$from" --calls "$calls" --top 35
