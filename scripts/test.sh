#!/usr/bin/env bash
# The project's whole test run (`npm test`): installs what is missing, then static checks, the TypeScript
# suites (unit, conformance, parity, HTTP, tracing) and the Python control's suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh

echo "== static checks: types, lint, format"
tsc -p tsconfig.json
eslint .
prettier --check . >/dev/null || { prettier --check .; exit 1; }

echo "== TypeScript tests"
node --test --test-concurrency=1 --test-reporter=spec "dist/src/**/*.test.js" "dist/test/**/*.test.js"
