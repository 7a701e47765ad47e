"""What `ipwh build` prints: a progress line per stage and a summary, the full log only with -v.

Without -v the run's own output (Dagster's and dbt's logs, library chatter, dbt's stdout) goes to a log
file beside the Dagster history (``$DAGSTER_HOME/logs/build-<run>.log``), by redirecting the process's
stdout and stderr while the run executes; the terminal gets one progress bar per stage, driven by the
run's events (``DagsterInstance.add_event_listener``), and at the end a summary read from the
published warehouse: periods built, files loaded / unchanged / rejected (each rejected file named
with its reason), quarantined rows, and the time taken.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

# The stages of a build, in order, and how an asset key (its first path component) falls into one.
STAGES = ("ingest", "dbt core models", "dbt period marts", "publish")
BAR_WIDTH = 24


def stage_of(asset_key: str) -> str | None:
    """The stage an asset (``raw/patents``, ``published_warehouse``, a dbt model key) belongs to."""
    if asset_key.startswith("raw/"):
        return "ingest"
    if asset_key == "published_warehouse":
        return "publish"
    if asset_key.startswith(("staging/", "intermediate/", "marts/", "seeds/")):
        return "dbt models"
    return None


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[########----------------]  5/14``."""
    total = max(total, 1)
    filled = min(width, round(width * done / total))
    return f"[{'#' * filled}{'-' * (width - filled)}] {done:>3}/{total}"


@dataclass
class Progress:
    """Counts finished assets per stage from the run's events and redraws the stage's line."""

    totals: dict[str, int]
    out: IO[str]
    interactive: bool
    done: dict[str, set[str]] = field(default_factory=dict)
    started_at: float = field(default_factory=time.monotonic)
    _current: str | None = None

    def __call__(self, event) -> None:  # a Dagster EventLogEntry
        dagster_event = getattr(event, "dagster_event", None)
        if dagster_event is None or dagster_event.event_type_value != "ASSET_MATERIALIZATION":
            return
        key = dagster_event.asset_key.to_user_string()
        stage = stage_of(key)
        if stage is None:
            return
        self.done.setdefault(stage, set()).add(key)
        self._show(stage)

    def _show(self, stage: str) -> None:
        if self._current is not None and stage != self._current:
            self._finish_line(self._current)
        self._current = stage
        if self.interactive:
            self.out.write(f"\r  {stage:<18} {bar(len(self.done[stage]), self.totals.get(stage, 0))}")
            self.out.flush()

    def _finish_line(self, stage: str) -> None:
        line = f"  {stage:<18} {bar(len(self.done.get(stage, ())), self.totals.get(stage, 0))}"
        self.out.write(("\r" + line if self.interactive else line) + "\n")
        self.out.flush()

    def close(self) -> None:
        if self._current is not None:
            self._finish_line(self._current)
            self._current = None


@contextlib.contextmanager
def captured_output(log_path: Path) -> Iterator[IO[str]]:
    """Send the process's stdout and stderr (file descriptors 1 and 2, so subprocesses too) to
    ``log_path``; yield a stream on the original stdout for progress."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = os.fdopen(os.dup(saved_out), "w", buffering=1, encoding="utf-8", errors="replace")
    with open(log_path, "ab") as log, open(log_path, "a", encoding="utf-8", buffering=1) as text_log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        # Python-level writes too (dagster-dbt echoes dbt's output through sys.stdout, which may not
        # be file descriptor 1, e.g. under pytest's capture)
        saved_streams = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = text_log
        try:
            yield terminal
        finally:
            text_log.flush()
            sys.stdout, sys.stderr = saved_streams
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


def build_log_path(run_id: str) -> Path:
    home = Path(os.environ.get("DAGSTER_HOME", "data/dagster_home"))
    return home / "logs" / f"build-{run_id[:8]}.log"


@dataclass(frozen=True)
class BuildSummary:
    periods: str
    loaded: int
    unchanged: int
    rejected: list[tuple[str, str]]  # (file, reason)
    quarantined_rows: int  # of the files loaded by this run
    quarantined_in_use: int = 0  # every row in audit.quarantine (files loaded earlier included)


def read_summary(warehouse: Path, run_id: str, periods: str) -> BuildSummary:
    """This run's load log, from the published warehouse (read-only)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """select source, file_name, status, coalesce(rows_quarantined, 0), coalesce(message, '')
               from audit.load_log where run_id = ? order by source, file_name""",
            [run_id],
        ).fetchall()
        (in_warehouse,) = con.execute("select count(*) from audit.quarantine").fetchone()
    finally:
        con.close()
    status_counts = {"loaded": 0, "unchanged": 0}
    rejected: list[tuple[str, str]] = []
    quarantined = 0
    for _source, file_name, status, rows_quarantined, message in rows:
        if status == "rejected":
            rejected.append((file_name, message))
        else:
            status_counts[status] = status_counts.get(status, 0) + 1
            if status == "loaded":
                quarantined += int(rows_quarantined)
    return BuildSummary(periods, status_counts["loaded"], status_counts["unchanged"], rejected, quarantined, int(in_warehouse))


def summary_lines(summary: BuildSummary, warehouse: Path, elapsed: float, log_path: Path | None) -> list[str]:
    lines = [
        f"ipwh build: published {warehouse} in {elapsed:.1f}s",
        f"  periods built      {summary.periods}",
        f"  files loaded       {summary.loaded} (unchanged {summary.unchanged})",
        f"  files rejected     {len(summary.rejected)}",
    ]
    lines += [f"    - {name}: {reason}" for name, reason in summary.rejected]
    lines.append(f"  quarantined rows   {summary.quarantined_in_use:,} in audit.quarantine, {summary.quarantined_rows:,} "
                 "from files loaded by this run (see the 数据质量 page)")
    if log_path is not None:
        lines.append(f"  full log           {log_path} (or run with -v)")
    return lines


def period_text(rebuilt: object, fallback: str) -> str:
    """``300 (2000-01..2024-12)`` from the published_warehouse metadata's rebuilt periods."""
    if isinstance(rebuilt, str) and rebuilt and rebuilt != "none":
        return rebuilt
    if isinstance(rebuilt, (list, tuple)) and rebuilt:
        first, last = min(rebuilt), max(rebuilt)
        return f"{len(rebuilt)} ({str(first)[:7]}..{str(last)[:7]})"
    return fallback


def asset_totals(job) -> dict[str, int]:
    """How many assets of each stage the job materialises."""
    totals: dict[str, int] = {}
    try:
        keys = job.asset_layer.selected_asset_keys  # the job's selection
    except Exception:  # an older/newer Dagster without this path: bars show counts only
        return totals
    for key in keys:
        stage = stage_of(key.to_user_string())
        if stage is not None:
            totals[stage] = totals.get(stage, 0) + 1
    return totals


class QuietBuild:
    """``with QuietBuild(job, instance, run_id):`` around ``execute_in_process``; then ``print_summary``.

    verbose (``-v``): nothing is captured and Dagster logs at INFO, as before.
    """

    def __init__(self, job, instance, run_id: str, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self.run_id = run_id
        self.log_path: Path | None = None if verbose else build_log_path(run_id)
        self._job, self._instance = job, instance
        self._stack = contextlib.ExitStack()
        self._progress: Progress | None = None

    def __enter__(self) -> "QuietBuild":
        if self.verbose:
            return self
        terminal = self._stack.enter_context(captured_output(self.log_path))
        interactive = terminal.isatty()
        terminal.write(f"ipwh build: run {self.run_id[:8]}\n")
        self._progress = Progress(asset_totals(self._job), terminal, interactive)
        self._instance.add_event_listener(self.run_id, self._progress)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.close()
        self._stack.close()

    def print_summary(self, warehouse: Path, published: dict[str, object], requested: str, elapsed: float) -> None:
        warehouse = Path(warehouse)
        periods = period_text(published.get("rebuilt_periods"), requested)
        without_data = published.get("periods_asked_without_data")
        if isinstance(without_data, str) and without_data not in ("", "none"):
            first, last = (str(published.get(k) or "")[:7] for k in ("first_period", "last_period"))
            extent = f"the data runs {first}..{last}" if first not in ("", "None") else "no data is loaded yet"
            periods = (f"{periods if published.get('rebuilt_periods') not in (None, 'none') else 'none'}; "
                       f"no data for {without_data} ({extent})")
        try:
            summary = read_summary(warehouse, self.run_id, periods)
        except Exception as exc:  # the warehouse was published; a summary that cannot be read is not a failure
            print(f"ipwh build: published {warehouse} (periods {periods}) in {elapsed:.1f}s, run {self.run_id[:8]} "
                  f"(no summary: {exc})")
            return
        print("\n".join(summary_lines(summary, warehouse, elapsed, self.log_path)))

    def log_hint(self) -> str:
        return "" if self.log_path is None else f" (full log: {self.log_path})"
