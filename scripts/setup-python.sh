#!/usr/bin/env bash
# Creates (or refreshes) the project's Python virtual environment in ./.venv from requirements-dev.txt.
# Idempotent: it reinstalls only when the requirement files changed since the last successful run.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
VENV=.venv
stamp="$VENV/.requirements.sha256"
want=$(cat requirements-dev.txt control/requirements.txt | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
echo "$want" >"$stamp"
echo "python environment ready in $VENV" >&2
