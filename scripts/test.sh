#!/usr/bin/env bash
# The project's whole test run (`npm test`): installs what is missing (npm packages with Node 24, the Python
# virtual environment, the Jaeger binary), then static checks, the TypeScript suites (unit, parity,
# conformance, HTTP, tracing into a real Jaeger, the stack), the FastAPI control's suite, and the compose
# end-to-end test on a real Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
start=$SECONDS
phase() { echo; echo "== $1 ($((SECONDS - start)) s)"; }

phase "static checks: TypeScript types, ESLint, Prettier; ruff on the Python scripts; ruff and mypy on the control"
tsc -p tsconfig.json
eslint .
prettier --check . >/dev/null || { prettier --check .; exit 1; }
"$PYTHON" -m ruff check --quiet .
(cd control && "$PYTHON" -m ruff check --quiet . && "$PYTHON" -m ruff format --check --quiet . && "$PYTHON" -m mypy --no-error-summary)

phase "Jaeger binary (built from its Go module once, then cached)"
JAEGER_BIN="$(bash scripts/jaeger/ensure.sh)"
export JAEGER_BIN

phase "FastAPI control tests (pytest)"
(cd control && "$PYTHON" -m pytest -q)

phase "docker compose end to end, on a real Docker engine"
bash test/compose/run.sh

phase "TypeScript tests: unit, parity with lightgbm, conformance, CLI, HTTP, tracing into Jaeger, the stack, the benchmark harness"
node --test --test-concurrency=1 --test-reporter=spec "dist/src/**/*.test.js" "dist/test/**/*.test.js"
