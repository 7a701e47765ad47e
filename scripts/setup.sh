#!/usr/bin/env bash
# Create .venv/ with the locked dependencies and the ipwh command (needs only Python 3.11 and PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
  echo "setup: installing uv (the package installer) for $PYTHON"
  "$PYTHON" -m pip install --quiet --user "uv>=0.5" 2>/dev/null || "$PYTHON" -m pip install --quiet "uv>=0.5"
fi
export UV_COMPILE_BYTECODE=1   # imports are ~2x slower without bytecode on this machine
export UV_LINK_MODE=copy
"$PYTHON" -m uv sync --frozen --python "$PYTHON"
echo "setup: .venv ready ($(.venv/bin/python --version)), ipwh at .venv/bin/ipwh"
