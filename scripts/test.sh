#!/usr/bin/env bash
# The project's tests, in tiers (the README's "Contributing" section says which to run when):
#   bash scripts/test.sh unit   (`npm run test:unit`)  unit tests beside the code, conformance and parity with the
#                               real lightgbm, the CLI: no network, no Docker, no Jaeger; well under a minute once
#                               the parity models are cached in .cache/parity/
#   bash scripts/test.sh e2e    (`npm run test:e2e`)   the slow tiers: the FastAPI control's suite, HTTP on real
#                               servers, tracing into a real Jaeger, the stack, the benchmark harness, the compose
#                               end-to-end test on a real Docker engine
#   bash scripts/test.sh all    (`npm test`, what CI runs) static checks, then both tiers
# Every tier installs what is missing first: npm packages with Node 24, the Python virtual environment (and, for
# e2e, the Jaeger binary, built from its Go module once and cached, and Debian's prometheus when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
tier="${1:-all}"
case "$tier" in unit | e2e | all) ;; *) echo "usage: scripts/test.sh [unit|e2e|all]" >&2; exit 2 ;; esac
source scripts/lib/node-env.sh
start=$SECONDS
phase() { echo; echo "== $1 ($((SECONDS - start)) s)"; }

# A clean build, so a test deleted from the sources cannot linger in dist/ and run.
rm -rf dist
tsc -p tsconfig.json

# The unit tier: every test beside its code, plus the cross-cutting suites that need only Node and the .venv.
UNIT_TESTS=("dist/src/**/*.test.js" "dist/scripts/**/*.test.js" "dist/bench/**/*.test.js" "dist/test/parity/*.test.js" "dist/test/cli/*.test.js")
# The e2e tier: every other test under test/ (a new folder there joins it without being listed here).
mapfile -t E2E_TESTS < <(find dist/test -name '*.test.js' -not -path 'dist/test/parity/*' -not -path 'dist/test/cli/*' | sort)

if [ "$tier" = all ]; then
  phase "static checks: TypeScript types, ESLint, Prettier; ruff on the Python scripts; ruff and mypy on the control; go vet and gofmt on the Go peer"
  eslint .
  prettier --check . >/dev/null || { prettier --check .; exit 1; }
  "$PYTHON" -m ruff check --quiet .
  (cd control && "$PYTHON" -m ruff check --quiet . && "$PYTHON" -m ruff format --check --quiet . && "$PYTHON" -m mypy --no-error-summary)
  # The Go peer (bench/peers/fiber), where Go is installed.
  if command -v go >/dev/null; then (cd bench/peers/fiber && go vet ./... && test -z "$(gofmt -l .)"); fi

  phase "Kubernetes manifests: strict decode into k8s.io/api types (deploy/validate)"
  if command -v go >/dev/null; then
    (cd deploy/validate && go vet ./... && test -z "$(gofmt -l .)" && go test -count=1 ./...)
  else
    echo "skipped: Go is not on PATH; the validation decodes the manifests with the Go modules k8s.io/api and sigs.k8s.io/yaml"
  fi
fi

if [ "$tier" != e2e ]; then
  phase "unit tier: unit tests, parity with lightgbm, engine conformance, the CLI"
  node --test --test-concurrency=1 --test-reporter=spec "${UNIT_TESTS[@]}"
fi

if [ "$tier" != unit ]; then
  phase "Jaeger binary (built from its Go module once, then cached)"
  JAEGER_BIN="$(bash scripts/jaeger/ensure.sh)"
  export JAEGER_BIN

  phase "Prometheus (Debian's package) for the scrape test"
  if [ ! -x /usr/bin/prometheus ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi
  [ -x /usr/bin/prometheus ] && /usr/bin/prometheus --version 2>&1 | head -n 1 || echo "absent: the scrape test will skip"

  phase "FastAPI control tests (pytest)"
  (cd control && "$PYTHON" -m pytest -q)

  phase "docker compose end to end, on a real Docker engine"
  bash test/compose/run.sh

  phase "e2e tier: HTTP on real servers, tracing into Jaeger, the stack, the benchmark harness"
  node --test --test-concurrency=1 --test-reporter=spec "${E2E_TESTS[@]}"
fi
phase "done"
