#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install_browser.sh
export GX_ANALYTICS_ENABLED=false DAGSTER_DISABLE_TELEMETRY=1
exec .venv/bin/python -m pytest -q "$@"
