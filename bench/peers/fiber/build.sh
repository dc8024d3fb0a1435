#!/usr/bin/env bash
# Builds the Go peer (the seed's Fiber + leaves endpoint) with the machine's Go and prints the binary's path.
#   bash bench/peers/fiber/build.sh     -> stdout: ~/.cache/lightgbm-ts-serving/fiber-peer/<hash>/fiber-peer
# The binary is cached by a hash of go.mod, go.sum and the *.go files, so a second call returns at once.
# Without `go` on PATH it prints one line saying so on stderr and exits 3: callers skip the Go column with
# that reason. Concurrent calls are safe (flock); build output goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v go >/dev/null 2>&1; then
  echo "go is not installed (no \`go\` on PATH): the Go peer cannot be built" >&2
  exit 3
fi

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/lightgbm-ts-serving/fiber-peer"
hash="$(cd "$here" && cat go.mod go.sum $(LC_ALL=C ls -- *.go) | sha256sum | cut -c1-16)"
binary="$cache_root/$hash/fiber-peer"
mkdir -p "$cache_root/$hash"

exec 9>"$cache_root/.lock"
flock 9
if [ ! -x "$binary" ]; then
  echo "building the Go peer into $binary" >&2
  (cd "$here" && go build -trimpath -o "$binary.tmp" .) >&2
  mv -f "$binary.tmp" "$binary"
fi
echo "$binary"
