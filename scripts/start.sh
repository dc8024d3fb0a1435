#!/usr/bin/env bash
# `npm start`: installs what is missing (npm packages with Node 24, the Python venv, the Jaeger binary), builds,
# then runs the stack (scripts/stack/start.ts) in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node-env.sh
tsc -p tsconfig.json
bash scripts/jaeger/ensure.sh >/dev/null
exec node dist/scripts/stack/start.js
