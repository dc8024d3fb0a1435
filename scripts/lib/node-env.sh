# Sourced by the project's scripts: installs the npm dependencies (which bring Node 24 as a devDependency) and
# the Python virtual environment when missing, and puts the project's Node first on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ ! -x "$ROOT/node_modules/.bin/node" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
export PATH="$ROOT/node_modules/.bin:$PATH"
bash "$ROOT/scripts/setup-python.sh"
export PYTHON="$ROOT/.venv/bin/python"
