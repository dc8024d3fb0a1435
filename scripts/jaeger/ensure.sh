#!/usr/bin/env bash
# Print the absolute path of a cached Jaeger (v2) binary, building it first if
# it is not cached yet. Only the path goes to stdout; all progress goes to
# stderr, so callers can do: JAEGER_BIN="$(bash scripts/jaeger/ensure.sh)".
#
# Needs only Go (>= 1.24) and access to the Go module proxy. The first build
# downloads ~400 modules and compiles for several minutes; afterwards the
# binary is reused from the cache, which lives outside the repository so that
# it survives fresh clones on the same machine:
#   ${JAEGER_CACHE_DIR:-$HOME/.cache/lightgbm-ts-serving/jaeger}/jaeger-<version>
#
# Safe to run concurrently: builds are serialised with flock(1) when it is
# available, and a build always goes to a temporary file that is renamed into
# place, so nobody ever sees a half-written binary.
set -euo pipefail

# The Jaeger version to build, as a Go module version of
# github.com/jaegertracing/jaeger.
#
# Why this and not a v2.x tag or a pseudo-version of main: the v2.x tags
# cannot be used as module versions (the module path has no /v2 suffix), so a
# pseudo-version of a main commit was the first choice. The Go module proxy
# reachable from this project's machines, however, only serves a few vetted
# versions of this module (it answers 403 for @main and for any pseudo-version
# tried). v1.76.0 is the newest one it serves, and it is the very commit that
# was released as Jaeger v2.13.0 (2025-12-03): Jaeger tags v1.x and v2.x on
# the same commit, and its ./cmd/jaeger is the v2 (OpenTelemetry collector
# based) binary. Check what the proxy offers with:
#   go list -m -versions github.com/jaegertracing/jaeger
JAEGER_MODULE_VERSION="v1.76.0"
# The Jaeger v2 release that JAEGER_MODULE_VERSION corresponds to (stamped
# into the binary so `jaeger version` reports it).
JAEGER_V2_VERSION="v2.13.0"

JAEGER_MODULE="github.com/jaegertracing/jaeger"
cache_dir="${JAEGER_CACHE_DIR:-$HOME/.cache/lightgbm-ts-serving/jaeger}"
binary="$cache_dir/jaeger-$JAEGER_MODULE_VERSION"

log() { echo "jaeger/ensure: $*" >&2; }

if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is required to build Jaeger $JAEGER_MODULE_VERSION, but 'go' is not on PATH"
  exit 1
fi

mkdir -p "$cache_dir"
cache_dir="$(cd "$cache_dir" && pwd -P)"
binary="$cache_dir/jaeger-$JAEGER_MODULE_VERSION"

# Serialise concurrent builds; the second caller then finds the binary.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache_dir/.jaeger-$JAEGER_MODULE_VERSION.lock"
  flock 9
  if [[ -x "$binary" ]]; then
    echo "$binary"
    exit 0
  fi
fi

work="$(mktemp -d "$cache_dir/.build.XXXXXX")"
cleanup() {
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
log "building Jaeger $JAEGER_V2_VERSION (module $JAEGER_MODULE@$JAEGER_MODULE_VERSION) with $(go version)"
log "this takes several minutes the first time; output: $binary"

# `go install module/cmd/jaeger@version` refuses this module because its go.mod
# has replace directives. So: fetch the module source into the module cache,
# copy it, and build it there as the main module (the replaces then apply).
# Run from an empty directory so no surrounding go.mod gets involved.
download_json="$(cd "$work" && go mod download -json "$JAEGER_MODULE@$JAEGER_MODULE_VERSION")"
src_dir="$(printf '%s\n' "$download_json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)"
if [[ -z "$src_dir" || ! -f "$src_dir/go.mod" ]]; then
  log "could not locate the downloaded module source; go mod download said:"
  printf '%s\n' "$download_json" >&2
  exit 1
fi

cp -R "$src_dir" "$work/src"
chmod -R u+w "$work/src"

(
  cd "$work/src"
  # -trimpath and -s -w: reproducible paths, smaller binary.
  # -buildvcs=false: the copy is not a VCS checkout.
  go build -trimpath -buildvcs=false \
    -ldflags "-s -w -X $JAEGER_MODULE/internal/version.latestVersion=$JAEGER_V2_VERSION" \
    -o "$work/jaeger" ./cmd/jaeger
) >&2

"$work/jaeger" version >/dev/null 2>&1 || {
  log "the freshly built binary does not run"
  exit 1
}

# Same filesystem as the destination, so this rename is atomic.
mv -f "$work/jaeger" "$binary"
log "built in $((SECONDS - started))s: $binary"
echo "$binary"
