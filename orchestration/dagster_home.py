"""DAGSTER_HOME for ipwh: where `ipwh build` and `dagster dev` record runs (the same history).

Dagster's own default layout: SQLite files under DAGSTER_HOME (``history/``, ``storage/``,
``schedules/``), found relative to DAGSTER_HOME, so the folder can move with the checkout. A new
DAGSTER_HOME gets a ``dagster.yaml`` that says so; a ``dagster.yaml`` that an older ipwh wrote
(naming its own event storage at an absolute path) is replaced; any other is left alone.

    python -m orchestration.dagster_home      # create it (the `make dagster` target does this)
"""

from __future__ import annotations

import os
from pathlib import Path

from .settings import REPO_ROOT

WRITTEN_BY_IPWH = "# Written by ipwh."
# Usage statistics off (Dagster's own switch; it also silences the first-run telemetry banner).
TELEMETRY_OFF = """\
telemetry:
  enabled: false
"""
DAGSTER_YAML = f"""\
{WRITTEN_BY_IPWH} Dagster's default storage: run history, event logs and schedules on SQLite
# under this folder (DAGSTER_HOME), shared by `ipwh build` and `dagster dev`. Add your own settings
# below; ipwh leaves a dagster.yaml without its first line alone (but for switching usage statistics off).
""" + TELEMETRY_OFF
# what an older ipwh wrote: its own event-log storage class, at an absolute path
_OLD_IPWH_MARKER = "orchestration.event_storage"


def ensure_dagster_home(home: Path | None = None) -> Path:
    """Create DAGSTER_HOME (default data/dagster_home) with ipwh's dagster.yaml if it has none."""
    if home is None:
        os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / "data" / "dagster_home"))
        home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or _OLD_IPWH_MARKER in config.read_text(encoding="utf-8"):
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    elif "telemetry:" not in (text := config.read_text(encoding="utf-8")):
        # an existing file is otherwise left alone; only the usage statistics are switched off
        config.write_text(text.rstrip("\n") + "\n" + TELEMETRY_OFF, encoding="utf-8")
    return home


if __name__ == "__main__":
    print(ensure_dagster_home())
