"""The one build entry point: what `ipwh build`, the landing sensor, the monthly schedule and the
Dagster UI launch is the job ``build_warehouse`` (or ``rebuild_periods``) with the run config and
tags made here.

``run_build`` runs it in this process and returns a ``BuildResult`` (what was published, which
periods, files loaded and rejected, rows quarantined, the time, or the one-line failure reason);
printing it is the caller's business (orchestration/cli.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .failures import FAILURE_REASON_TAG, failure_reason_from_events, is_lock_failure
from .jobs import BUILD_JOB, REBUILD_PERIODS_JOB
from .resources import LOCK_WAIT_TAG

TRIGGER_TAG = "ipwh/trigger"
WINDOW_TAG = "ipwh/periods"
SCHEDULED_LOCK_WAIT_SECONDS = "3600"


def build_run_config(window: tuple[str, str] | None = None, console_level: str | None = None) -> dict:
    """Run config of a build: the window of periods (YYYY-MM, YYYY-MM) or every period."""
    first, last = window or ("", "")
    config: dict = {"ops": {"dbt_models": {"config": {"first_period": first, "last_period": last}}}}
    if console_level:
        config["loggers"] = {"console": {"config": {"log_level": console_level}}}
    return config


def build_tags(trigger: str, window: tuple[str, str] | None = None,
               lock_wait_seconds: str = SCHEDULED_LOCK_WAIT_SECONDS) -> dict[str, str]:
    return {TRIGGER_TAG: trigger, LOCK_WAIT_TAG: lock_wait_seconds,
            WINDOW_TAG: f"{window[0]}..{window[1]}" if window else "all"}


def build_run_request(trigger: str, run_key: str | None = None, tags: dict[str, str] | None = None):
    """A whole build (every period) as the sensor and the schedule request it."""
    import dagster as dg

    return dg.RunRequest(run_key=run_key, job_name=BUILD_JOB, run_config=build_run_config(),
                         tags={**build_tags(trigger), **(tags or {})})


@dataclass
class BuildResult:
    success: bool
    exit_code: int  # 0 published, 1 a step or blocking check failed, 3 another build holds the lock
    seconds: float
    job: str
    window: tuple[str, str] | None  # (YYYY-MM, YYYY-MM), None for every period
    run_id: str | None = None
    reason: str | None = None
    warehouse: Path | None = None
    rebuilt_periods: str = "none"
    periods_with_other_settings: str = "none"
    files_loaded: int = 0
    files_unchanged: int = 0
    files_rejected: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    rejected_files: dict[str, str] = field(default_factory=dict)
    published_metadata: dict[str, object] = field(default_factory=dict)


def _metadata(result) -> tuple[dict[str, object], dict[str, dict[str, object]]]:
    """(published_warehouse's metadata, {raw asset: its metadata}) from a run's events."""
    published: dict[str, object] = {}
    raw: dict[str, dict[str, object]] = {}
    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        mat = event.event_specific_data.materialization
        values = {k: getattr(v, "value", v) for k, v in mat.metadata.items()}
        name = mat.asset_key.to_user_string()
        if name == "published_warehouse":
            published = values
        elif name.startswith("raw/"):
            raw[name] = values
    return published, raw


def inputs_unchanged_since_publish() -> bool:
    """Same landing files, dbt project, code and settings as the published build, and no unpublished
    work waiting in the work warehouse (that needs the whole graph to be published)."""
    from .fingerprint import inputs_fingerprint, published_fingerprint
    from .publish import work_file_of
    from .settings import get_settings

    s = get_settings()
    if work_file_of(s.warehouse_path).exists():
        return False
    return published_fingerprint(s.warehouse_path) == inputs_fingerprint(s.landing_dir, s.region_pack)


def run_build(window: tuple[str, str] | None = None, instance=None, trigger: str = "ipwh build",
              console_level: str | None = None, run_id: str | None = None, watch=None) -> BuildResult:
    """Build and publish (the settings say where), in this process, on ``instance`` (default: the
    DAGSTER_HOME instance `dagster dev` shows). ``window`` rebuilds those periods only; when the
    inputs are unchanged since the published build that is the ``rebuild_periods`` job. ``watch(job,
    instance)``, when given, returns a context manager held around the run (`ipwh build`'s progress
    display); ``run_id`` names the run in advance, for it."""
    import dagster as dg

    from .definitions import build_definitions
    from .publish import BuildLockedError

    started = time.monotonic()
    job_name = REBUILD_PERIODS_JOB if window is not None and inputs_unchanged_since_publish() else BUILD_JOB
    job = build_definitions().resolve_job_def(job_name)
    if instance is None:
        instance = dg.DagsterInstance.ephemeral() if os.environ.get("IPWH_EPHEMERAL_INSTANCE") else dg.DagsterInstance.get()
    lock_wait = os.environ.get("IPWH_LOCK_WAIT_SECONDS") or "0"
    around = watch(job, instance) if watch is not None else contextlib.nullcontext()
    try:
        with around:
            result = job.execute_in_process(
                instance=instance,
                run_config=build_run_config(window, console_level),
                tags=build_tags(trigger, window, lock_wait),
                raise_on_error=False,
                run_id=run_id,
            )
    except BuildLockedError as exc:
        return BuildResult(False, 3, time.monotonic() - started, job_name, window, reason=str(exc))
    elapsed = time.monotonic() - started
    published, raw = _metadata(result)
    outcome = BuildResult(
        success=result.success, exit_code=0, seconds=elapsed, job=job_name, window=window, run_id=result.run_id,
        files_loaded=sum(int(m.get("files_loaded", 0)) for m in raw.values()),
        files_unchanged=sum(int(m.get("files_unchanged", 0)) for m in raw.values()),
        files_rejected=sum(int(m.get("files_rejected", 0)) for m in raw.values()),
        rows_loaded=sum(int(m.get("rows_loaded", 0)) for m in raw.values()),
        rows_quarantined=sum(int(m.get("rows_quarantined", 0)) for m in raw.values()),
        rejected_files={k: v for m in raw.values() for k, v in dict(m.get("rejected_files") or {}).items()},
        published_metadata=published,
    )
    if not result.success:
        outcome.reason = failure_reason_from_events(result.all_events)
        outcome.exit_code = 3 if is_lock_failure(outcome.reason) else 1
        try:  # the reason on the run itself, so the Dagster UI's run list shows it too
            instance.add_run_tags(result.run_id, {FAILURE_REASON_TAG: outcome.reason[:1000]})
        except Exception:  # noqa: BLE001 - the reason is returned anyway; never mask it
            pass
        return outcome
    outcome.warehouse = Path(str(published.get("path"))) if published.get("path") else None
    outcome.rebuilt_periods = str(published.get("rebuilt_periods", "none"))
    outcome.periods_with_other_settings = str(published.get("periods_with_other_settings", "none"))
    return outcome


def requested_window(period: str | None, first: str | None, last: str | None) -> tuple[str, str] | None:
    """(YYYY-MM, YYYY-MM) for `--period` or `--from/--to`, None for every period; ValueError if malformed."""
    from .partitions import parse_month

    if period and (first or last):
        raise ValueError("use --period or --from/--to, not both")
    if period:
        month = parse_month(period)
        return f"{month:%Y-%m}", f"{month:%Y-%m}"
    if first or last:
        if not (first and last):
            raise ValueError("--from and --to go together")
        start, end = parse_month(first), parse_month(last)
        if end < start:
            raise ValueError(f"--from {first} is after --to {last}")
        return f"{start:%Y-%m}", f"{end:%Y-%m}"
    return None


def check_requested_window(window: tuple[str, str], today: dt.date | None = None) -> None:
    """Refuse, before any run, a window outside the periods offered (the configured start or the
    published warehouse's first period with data, to the current month). PeriodWindowError."""
    from .partitions import check_window, offered_periods, parse_month
    from .settings import get_settings

    s = get_settings()
    offered = offered_periods(published_first_period(s.warehouse_path), s.first_period, today)
    check_window(parse_month(window[0]), parse_month(window[1]), offered)


def published_first_period(warehouse: Path) -> dt.date | None:
    if not warehouse.exists():
        return None
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(warehouse).replace(chr(39), chr(39) * 2)}' AS wh (READ_ONLY)")
        row = con.execute("SELECT first_period FROM wh.intermediate.int_data_range").fetchone()
        return row[0] if row else None
    except duckdb.Error:
        return None
    finally:
        con.close()
