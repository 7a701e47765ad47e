"""DAGSTER_HOME for ipwh: where `ipwh build` and `dagster dev` record runs (the same history).

A new DAGSTER_HOME gets a dagster.yaml that keeps Dagster's default SQLite layout but writes asset
events in batches (orchestration/event_storage.py); an existing dagster.yaml is left alone.

    python -m orchestration.dagster_home      # create it (the `make dagster` target does this)
"""

from __future__ import annotations

import os
from pathlib import Path

from .settings import REPO_ROOT

# Dagster reads these when a run is created and while it executes (in `ipwh build`, in `dagster
# dev`'s daemon and in its run workers, which all import orchestration.event_storage through
# dagster.yaml).
# - DAGSTER_EVENT_BATCH_SIZE: hand the per-partition materializations of one output to the storage
#   as one batch.
# - DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS: one "planned" event per asset for a range run
#   instead of one per partition (Dagster's own switch; a failed range run then does not mark each
#   partition failed: the run is failed and tagged with its reason).
DAGSTER_EVENT_SETTINGS = {
    "DAGSTER_EVENT_BATCH_SIZE": "5000",
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",
}

# Usage statistics off (Dagster's own switch; it also silences the first-run telemetry banner).
TELEMETRY_OFF = """\
telemetry:
  enabled: false
"""

DAGSTER_YAML = """\
# Written by ipwh. Run history on local SQLite (Dagster's default layout under DAGSTER_HOME), with
# batched asset-event writes: see orchestration/event_storage.py.
event_log_storage:
  module: orchestration.event_storage
  class: BatchingSqliteEventLogStorage
  config:
    base_dir: {event_dir}
""" + TELEMETRY_OFF


def apply_event_settings() -> None:
    for name, value in DAGSTER_EVENT_SETTINGS.items():
        os.environ.setdefault(name, value)


def ensure_dagster_home(home: Path | None = None) -> Path:
    """Create DAGSTER_HOME (default data/dagster_home) with ipwh's dagster.yaml if it has none."""
    if home is None:
        os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "data" / "dagster_home"))
        home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        event_dir = (home / "history" / "runs").resolve()
        config.write_text(DAGSTER_YAML.format(event_dir=event_dir), encoding="utf-8")
    elif "telemetry:" not in (text := config.read_text(encoding="utf-8")):
        # an existing file is otherwise left alone; only the usage statistics are switched off
        config.write_text(text.rstrip("\n") + "\n" + TELEMETRY_OFF, encoding="utf-8")
    apply_event_settings()
    return home


if __name__ == "__main__":
    print(ensure_dagster_home())
