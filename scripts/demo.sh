#!/usr/bin/env bash
# Set up, write the built-in sample landing folder, build and publish the warehouse, start the dashboards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export IPWH_LANDING_DIR="${IPWH_LANDING_DIR:-$PWD/data/landing}"
export IPWH_WAREHOUSE="${IPWH_WAREHOUSE:-$PWD/data/warehouse/ipwh.duckdb}"
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/data/dagster_home}"
# The demo runs without sign-in, and says so; without this flag the dashboards refuse to start
# when there is no user file (auth.yaml / IPWH_AUTH_CONFIG).
export IPWH_DEMO=1
mkdir -p "$DAGSTER_HOME"
if [ ! -d "$IPWH_LANDING_DIR" ] || [ -z "$(ls -A "$IPWH_LANDING_DIR" 2>/dev/null)" ]; then
  .venv/bin/ipwh sample --scale city --out "$IPWH_LANDING_DIR"
fi
.venv/bin/ipwh build
PORT="${IPWH_PORT:-8501}"
echo
echo "Dashboards: http://localhost:${PORT}   (Ctrl-C to stop)"
echo "Dagster UI: DAGSTER_HOME=$DAGSTER_HOME .venv/bin/dagster dev   (http://localhost:3000)"
exec .venv/bin/streamlit run dashboards/app.py --server.headless true --server.port "$PORT" \
  --browser.gatherUsageStats false --client.toolbarMode viewer
