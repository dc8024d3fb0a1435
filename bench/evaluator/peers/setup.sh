#!/usr/bin/env bash
# Installs the evaluator benchmark's peers into their own environments (never the project's .venv or node_modules):
#   bench/evaluator/peers/.venv        lightgbm (lib_lightgbm.so for the C API), lleaves, tl2cgen, m2cgen, onnxmltools
#   bench/evaluator/peers/node/        onnxruntime-node (npm ci --ignore-scripts: its install script only fetches CUDA files)
#   bench/evaluator/peers/.build/      the C harnesses, compiled with the machine's cc
# Each peer installs on its own; one that does not install is written to .setup/<peer>.failed with the reason,
# and the benchmark skips it with that reason. Idempotent: a peer whose requirements did not change is kept.
# Usage: bash bench/evaluator/peers/setup.sh   (npm run bench:evaluator:setup)
set -uo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
mkdir -p .setup .build
log() { echo "peers setup: $*" >&2; }

stamped() { # name, files...: true when the stamp matches the files' hash
  local name=$1; shift
  local want; want=$(cat "$@" | sha256sum | cut -d' ' -f1)
  [ -f ".setup/$name.ok" ] && [ "$(cat ".setup/$name.ok")" = "$want" ] && return 0
  echo "$want" >".setup/$name.want"; return 1
}
record() { # name, status (0 ok), log file
  local name=$1 status=$2 out=$3
  if [ "$status" = 0 ]; then
    mv ".setup/$name.want" ".setup/$name.ok"; rm -f ".setup/$name.failed"; log "$name ready"
  else
    rm -f ".setup/$name.ok"; { echo "install failed:"; tail -n 5 "$out"; } >".setup/$name.failed"
    log "$name did not install: $(tail -n 1 "$out")"
  fi
}
timed() { # name, command...: runs it, logs to .setup/<name>.log, records seconds
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@" >".setup/$name.log" 2>&1; local status=$?
  echo "$(date +%s.%N) - $t0" | bc >".setup/$name.seconds"
  record "$name" "$status" ".setup/$name.log"
}

pip_install() { .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@"; }

if ! stamped base requirements/base.txt; then
  timed base bash -c "[ -x .venv/bin/python ] || '$PYTHON' -m venv .venv; $(declare -f pip_install); pip_install -r requirements/base.txt"
fi
for peer in lleaves tl2cgen m2cgen onnx; do
  stamped "$peer" requirements/base.txt "requirements/$peer.txt" && continue
  timed "$peer" bash -c "$(declare -f pip_install); pip_install -r requirements/base.txt -r requirements/$peer.txt"
done
if ! stamped onnxruntime-node node/package.json node/package-lock.json; then
  timed onnxruntime-node bash -c "cd node && npm ci --ignore-scripts --no-audit --no-fund"
fi

# The C harnesses: one binary per engine, the shared driver in c/harness.c.
lib=$(ls .venv/lib/python*/site-packages/lightgbm/lib/lib_lightgbm.so 2>/dev/null | head -n 1)
for engine in lightgbm_capi lleaves tl2cgen; do
  case $engine in
    lightgbm_capi) [ -n "$lib" ] || { echo "install failed: lib_lightgbm.so not found in .venv" >.setup/c-$engine.failed; continue; }
                   link=("$lib" "-Wl,-rpath,$(dirname "$(realpath "$lib")")") ;;
    *) link=(-ldl) ;;
  esac
  if cc -O2 -std=c11 -D_GNU_SOURCE -o ".build/$engine" c/harness.c "c/$engine.c" "${link[@]}" -lm 2>.setup/c-$engine.log; then
    rm -f ".setup/c-$engine.failed"
  else
    { echo "cc failed:"; tail -n 5 .setup/c-$engine.log; } >".setup/c-$engine.failed"
  fi
done
log "done; failures (if any): $(ls .setup/*.failed 2>/dev/null | tr '\n' ' ')"
