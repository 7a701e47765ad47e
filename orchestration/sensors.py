"""Sensors: a new or changed export in the landing folder starts a build; a failed build says why.

``landing_folder_sensor`` lists ``<landing>/<source>/`` (the files ingestion would read), and
compares each file by path, size and modification time with what it saw on its previous tick
(its cursor); only a file whose size or time moved is hashed, and only a changed sha256 counts, so
touching a file or copying the same export again starts nothing. On its very first tick it
compares with the sha256 of every file in the published warehouse's ``audit.load_log``, so turning
the sensor on over an up-to-date warehouse starts nothing either. A file modified in the last
``IPWH_SENSOR_SETTLE_SECONDS`` (default 30) may still be being copied: the tick waits for the next.
A removed file starts nothing (ingestion keeps what it had loaded).

The run it starts is a whole build (every period), like ``ipwh build``; if another build holds the
lock it waits for it (tag ``ipwh/lock_wait_seconds``).

``build_failure_reason_sensor`` tags every failed run with a one-line ``ipwh/failure_reason`` (the
same line ``ipwh build`` prints), shown in the UI's run list and on the run's page.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import dagster as dg
import duckdb

from .jobs import build_job
from .partitions import monthly_periods
from .resources import LOCK_WAIT_TAG
from .settings import get_settings
from .sources.catalog import SOURCES
from .sources.ingest import landing_files
from .sources.reading import sha256_of

SETTLE_SECONDS_DEFAULT = 30.0
SCHEDULED_LOCK_WAIT_SECONDS = "3600"
FAILURE_REASON_TAG = "ipwh/failure_reason"


def full_build_tags(current_time=None) -> dict[str, str]:
    """Run tags for a build of every period Dagster offers (ASSET_PARTITION_RANGE_* tags)."""
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    keys = monthly_periods.get_partition_keys(current_time=current_time)
    return {ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1],
            LOCK_WAIT_TAG: SCHEDULED_LOCK_WAIT_SECONDS}


def scan_landing(landing: Path) -> dict[str, tuple[int, int]]:
    """{path relative to the landing folder: (size, mtime_ns)} for every file ingestion would read."""
    found: dict[str, tuple[int, int]] = {}
    for source in SOURCES.values():
        for path, _as_of, _how in landing_files(landing, source):
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed between listing and stat
                continue
            found[path.relative_to(landing).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def published_file_hashes(warehouse: Path) -> dict[str, str]:
    """{file_name: sha256 of its latest load} from the published warehouse; {} when there is none."""
    if not warehouse.exists():
        return {}
    con = duckdb.connect(":memory:")
    try:
        # A fresh in-memory database with the file attached: always the file the path names now
        # (see dashboards/data.py), and never a lock that would stop a build from publishing.
        con.execute(f"ATTACH '{str(warehouse).replace(chr(39), chr(39) * 2)}' AS wh (READ_ONLY)")
        rows = con.execute(
            "SELECT file_name, arg_max(sha256, loaded_at) FROM wh.audit.load_log GROUP BY file_name"
        ).fetchall()
        return {name: sha for name, sha in rows if sha}
    except duckdb.Error:
        return {}
    finally:
        con.close()


def evaluate_landing(landing: Path, warehouse: Path, cursor: str | None, now: float | None = None,
                     settle_seconds: float | None = None) -> tuple[list[str], str | None, str]:
    """(changed files, new cursor or None to keep the old one, explanation) for one tick."""
    now = time.time() if now is None else now
    if settle_seconds is None:
        settle_seconds = float(os.environ.get("IPWH_SENSOR_SETTLE_SECONDS", SETTLE_SECONDS_DEFAULT))
    if not landing.is_dir():
        return [], None, f"landing folder {landing} does not exist"
    stats = scan_landing(landing)
    settling = sorted(rel for rel, (_size, mtime_ns) in stats.items() if now - mtime_ns / 1e9 < settle_seconds)
    if settling:
        return [], None, f"waiting for {len(settling)} file(s) still being written to settle: {', '.join(settling[:3])}"
    seen = json.loads(cursor)["files"] if cursor else None
    files: dict[str, list] = {}
    for rel, (size, mtime_ns) in stats.items():
        before = (seen or {}).get(rel)
        if before and before[0] == size and before[1] == mtime_ns:
            files[rel] = before
        else:
            try:
                files[rel] = [size, mtime_ns, sha256_of(landing / rel)]
            except FileNotFoundError:
                continue
    if seen is None:
        known = published_file_hashes(warehouse)
    else:
        known = {rel: entry[2] for rel, entry in seen.items()}
    changed = sorted(rel for rel, entry in files.items() if known.get(rel) != entry[2])
    new_cursor = json.dumps({"files": files}, ensure_ascii=False, sort_keys=True)
    if changed:
        return changed, new_cursor, f"{len(changed)} new or changed file(s): {', '.join(changed[:5])}"
    return [], new_cursor, f"no new or changed file in {landing} ({len(files)} files)"


@dg.sensor(
    job=build_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a whole build when a file in the landing folder is new or its content changed "
    "(path, size and modification time, then sha256).",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext):
    settings = get_settings()
    old_cursor = context.cursor
    changed, new_cursor, explanation = evaluate_landing(settings.landing_dir, settings.warehouse_path, old_cursor)
    if new_cursor is not None and new_cursor != old_cursor:
        context.update_cursor(new_cursor)
    if not changed:
        return dg.SkipReason(explanation)
    context.log.info(explanation)
    transition = hashlib.sha256(((old_cursor or "") + "\n" + (new_cursor or "")).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"landing-{transition}",
        tags={**full_build_tags(), "ipwh/trigger": "landing_folder_sensor",
              "ipwh/changed_files": ", ".join(changed[:5]) + (f" (+{len(changed) - 5})" if len(changed) > 5 else "")},
    )


@dg.run_failure_sensor(
    # every job of this code location: build_warehouse, and the implicit asset job that asset
    # backfills and ad-hoc materialisations from the asset graph run under
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Tags every failed run with its one-line reason (ipwh/failure_reason), shown in the run list.",
)
def build_failure_reason_sensor(context: dg.RunFailureSensorContext):
    from .cli import failure_reason_from_events

    run_id = context.dagster_run.run_id
    events = [entry.dagster_event for entry in context.instance.all_logs(run_id) if entry.dagster_event is not None]
    reason = failure_reason_from_events(events)
    context.instance.add_run_tags(run_id, {FAILURE_REASON_TAG: reason[:1000]})
    context.log.info(f"run {run_id[:8]} failed: {reason}")
