#!/usr/bin/env bash
# Starts the FastAPI control (`npm run control`): makes sure the project's venv exists, then execs uvicorn
# through `python -m app`, so the pid you get is the server's and SIGTERM stops it cleanly.
# Configuration comes from the environment: PORT, HOST, MODEL_PATH, MODEL_NAME, MAX_BODY_BYTES, WORKERS, OTEL_*.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/../scripts/setup-python.sh"
cd "$here"
exec "$here/../.venv/bin/python" -m app "$@"
