"""Sensors: a landing folder that differs from the published warehouse starts a build; a failed
build says why.

``landing_folder_sensor`` compares what a build would read now with what the published warehouse
was built from: every file ingestion would read (by sha256, against the published
``audit.load_log``), and the code and settings (against the fingerprint in ``audit.build_info``).
A file is hashed only when its size or modification time moved since the last tick (the cursor
caches the hashes), so touching a file or copying the same export again starts nothing. A file
modified in the last ``IPWH_SENSOR_SETTLE_SECONDS`` (default 30) may still be being copied: the
tick waits for the next. A removed file starts nothing (ingestion keeps what it had loaded).

The run it requests is a whole build (build.py), keyed by the content it would build from. Dagster
starts one run per key, so a build that failed is not retried on the same inputs (the tick says
which run failed and why) and is retried on the next tick after anything changes: a file, the code
or the settings. If another build holds the lock the run waits for it.

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

from .build import build_run_request
from .failures import FAILURE_REASON_TAG, failure_reason_from_events
from .fingerprint import code_and_settings_fingerprint, published_fingerprints
from .jobs import BUILD_JOB
from .settings import get_settings
from .sources.catalog import SOURCES
from .sources.ingest import landing_files
from .sources.reading import sha256_of

SETTLE_SECONDS_DEFAULT = 30.0
RUN_KEY_TAG = "dagster/run_key"


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
                     settle_seconds: float | None = None) -> tuple[list[str], str | None, str, str | None]:
    """(what differs from the published build, new cursor or None to keep the old one, explanation,
    run key of a build of the current inputs or None when nothing differs) for one tick."""
    now = time.time() if now is None else now
    if settle_seconds is None:
        settle_seconds = float(os.environ.get("IPWH_SENSOR_SETTLE_SECONDS", SETTLE_SECONDS_DEFAULT))
    if not landing.is_dir():
        return [], None, f"landing folder {landing} does not exist", None
    stats = scan_landing(landing)
    settling = sorted(rel for rel, (_size, mtime_ns) in stats.items() if now - mtime_ns / 1e9 < settle_seconds)
    if settling:
        return [], None, f"waiting for {len(settling)} file(s) still being written to settle: {', '.join(settling[:3])}", None
    seen = json.loads(cursor)["files"] if cursor else {}
    files: dict[str, list] = {}
    for rel, (size, mtime_ns) in stats.items():
        before = seen.get(rel)
        if before and before[0] == size and before[1] == mtime_ns:
            files[rel] = before
        else:
            try:
                files[rel] = [size, mtime_ns, sha256_of(landing / rel)]
            except FileNotFoundError:
                continue
    new_cursor = json.dumps({"files": files}, ensure_ascii=False, sort_keys=True)
    settings = get_settings()
    code = code_and_settings_fingerprint(settings.region_pack)
    known = published_file_hashes(warehouse)
    differs = sorted(rel for rel, entry in files.items() if known.get(rel) != entry[2])
    published_code = published_fingerprints(warehouse)["code_and_settings"]
    if published_code is not None and published_code != code:
        differs.append("(code or settings)")
    if not differs:
        return [], new_cursor, f"the published warehouse is up to date with {landing} ({len(files)} files)", None
    content = "\n".join(f"{rel}|{entry[2]}" for rel, entry in sorted(files.items())) + "\n" + code
    run_key = "inputs-" + hashlib.sha256(content.encode()).hexdigest()[:20]
    return differs, new_cursor, f"{len(differs)} new or changed: {', '.join(differs[:5])}", run_key


def _changed_tag(changed: list[str]) -> str:
    return ", ".join(changed[:5]) + (f" (+{len(changed) - 5})" if len(changed) > 5 else "")


@dg.sensor(
    job_name=BUILD_JOB,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts a whole build when the landing folder, the code or the settings differ from what the "
    "published warehouse was built from; a failed build is retried once any of them changes.",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext):
    settings = get_settings()
    changed, new_cursor, explanation, run_key = evaluate_landing(settings.landing_dir, settings.warehouse_path,
                                                                 context.cursor)
    if new_cursor is not None and new_cursor != context.cursor:
        context.update_cursor(new_cursor)
    if run_key is None:
        return dg.SkipReason(explanation)
    # Dagster starts one run per key; say why none starts when the last one failed
    earlier = context.instance.get_runs(filters=dg.RunsFilter(tags={RUN_KEY_TAG: run_key}), limit=1)
    if earlier and earlier[0].status == dg.DagsterRunStatus.FAILURE:
        reason = earlier[0].tags.get(FAILURE_REASON_TAG, "see the run's log")
        return dg.SkipReason(f"the build of these inputs failed (run {earlier[0].run_id[:8]}: {reason}); "
                             "it is retried once a file, the code or the settings change")
    if earlier and not earlier[0].is_finished:
        return dg.SkipReason(f"a build of these inputs is under way (run {earlier[0].run_id[:8]})")
    if earlier:
        return dg.SkipReason(f"these inputs were built by run {earlier[0].run_id[:8]} ({earlier[0].status.value}), "
                             f"yet the published warehouse differs: {explanation}")
    context.log.info(explanation)
    return build_run_request("landing_folder_sensor", run_key=run_key,
                             tags={"ipwh/changed_files": _changed_tag(changed)})


@dg.run_failure_sensor(
    # every job of this code location: build_warehouse, rebuild_periods, and the implicit asset job
    # that materialisations from the asset catalog and the asset graph run under
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Tags every failed run with its one-line reason (ipwh/failure_reason), shown in the run list.",
)
def build_failure_reason_sensor(context: dg.RunFailureSensorContext):
    run_id = context.dagster_run.run_id
    if FAILURE_REASON_TAG in context.dagster_run.tags:
        return  # `ipwh build` tagged it already
    events = [entry.dagster_event for entry in context.instance.all_logs(run_id) if entry.dagster_event is not None]
    reason = failure_reason_from_events(events)
    context.instance.add_run_tags(run_id, {FAILURE_REASON_TAG: reason[:1000]})
    context.log.info(f"run {run_id[:8]} failed: {reason}")
