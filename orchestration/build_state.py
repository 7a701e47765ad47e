"""What the runs since the last publish did to the work warehouse, and whether it may be published.

Every step that writes into the work warehouse records itself in ``audit.build_steps`` (in the work
file, so the record lives exactly as long as the work it describes): an ingestion per source, the
blocking check per source, the period-free dbt models (``dbt_core_models``) and the period marts
(``dbt_period_marts``, with its period window), both run by the ``dbt_models`` asset,
each with when it started and when (if) it finished. Steps may run in one run (``ipwh build``,
the job page, the sensor, the schedule) or spread over several (assets materialised one by one
from the asset catalog, a re-execution from failure); the record is the same.

``publish_blockers`` reads it before ``published_warehouse`` renames the work file over the
published one, and refuses to publish a warehouse that would be missing data an earlier step
loaded or that a failed step left half built.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

_numbering = threading.Lock()

STEPS_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.build_steps (
    seq INTEGER, run_id VARCHAR, step VARCHAR, window_start DATE, window_end DATE,
    started_at TIMESTAMP, finished_at TIMESTAMP, outcome VARCHAR
);
"""

CORE = "dbt_core_models"
PERIODS = "dbt_period_marts"
# The row a work warehouse starts with when it is copied from the published file: the steps after
# it are the unpublished work. (A publish renames the work file away, so there is no row for it.)
BASE = "base"
ALL_PERIODS = (dt.date(1900, 1, 31), dt.date(2999, 12, 31))
# outcome of a dbt step that rebuilt only some of its models (a subset materialised from the UI)
PARTIAL = "partial"


def ingest_step(source: str) -> str:
    return f"ingest:{source}"


def check_step(source: str) -> str:
    return f"check:{source}"


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def step_started(con, run_id: str, step: str, window: tuple[dt.date, dt.date] | None = None) -> int:
    # one at a time in this process: a source's check (a second thread, assets/ingestion.py) and the
    # next source's load both start steps; the build lock keeps other processes out
    with _numbering:
        con.execute(STEPS_DDL)
        seq = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit.build_steps").fetchone()[0]
        start, end = window or (None, None)
        con.execute("INSERT INTO audit.build_steps VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)",
                    [seq, run_id, step, start, end, _now()])
    return seq


def step_finished(con, seq: int, outcome: str) -> None:
    con.execute("UPDATE audit.build_steps SET finished_at = ?, outcome = ? WHERE seq = ?", [_now(), outcome, seq])


@dataclass(frozen=True)
class Step:
    seq: int
    run_id: str
    step: str
    window_start: dt.date | None
    window_end: dt.date | None
    finished: bool
    outcome: str | None

    @property
    def complete(self) -> bool:
        """Finished, over every model of its step (not a subset chosen in the asset catalog)."""
        return self.finished and self.outcome != PARTIAL

    def covers(self, other: Step) -> bool:
        return (self.window_start is not None and other.window_start is not None
                and self.window_start <= other.window_start and self.window_end >= other.window_end)


def mark_base(con, run_id: str) -> None:
    """Record that the work warehouse starts here, as a copy of the published one."""
    step_finished(con, step_started(con, run_id, BASE), "copied from the published warehouse")


def steps_since_publish(con) -> list[Step]:
    con.execute(STEPS_DDL)
    rows = con.execute(
        """SELECT seq, run_id, step, window_start, window_end, finished_at IS NOT NULL, outcome
           FROM audit.build_steps
           WHERE seq > (SELECT coalesce(max(seq), 0) FROM audit.build_steps WHERE step = ?)
           ORDER BY seq""", [BASE]).fetchall()
    return [Step(*row) for row in rows]


def _run(step: Step) -> str:
    return f"run {step.run_id[:8]}"


def publish_blockers(steps: list[Step]) -> list[str]:
    """Why the work warehouse must not be published yet (empty: it may be)."""
    problems: list[str] = []
    last: dict[str, Step] = {}
    for s in steps:
        last[s.step] = s
    finished_core = [s for s in steps if s.step == CORE and s.complete]
    core_seq = finished_core[-1].seq if finished_core else 0
    for name, s in last.items():
        if name.startswith("ingest:") and not s.finished:
            problems.append(f"loading {name[7:]} ({_run(s)}) did not finish: materialize raw/{name[7:]} again")
        if name.startswith("ingest:") and s.finished and s.outcome == "changed" and s.seq > core_seq:
            problems.append(f"raw.{name[7:]} was loaded by {_run(s)} but the dbt models have not been rebuilt since: "
                            "materialize dbt_models (all of it), or launch build_warehouse")
        if name.startswith("check:") and s.outcome == "failed":
            problems.append(f"the blocking check of raw.{name[6:]} failed ({_run(s)}): fix the source files "
                            "and load them again")
    for name, s in last.items():
        if name.startswith("ingest:") and s.outcome == "changed":
            check = last.get(check_step(name[7:]))
            if check is None or check.seq < s.seq:
                problems.append(f"raw.{name[7:]} changed ({_run(s)}) and its blocking check has not run since")
    if CORE in last and not last[CORE].finished:
        problems.append(f"the period-free dbt models failed ({_run(last[CORE])}) and have not been rebuilt since")
    periods = [s for s in steps if s.step == PERIODS]
    for i, s in enumerate(periods):
        if not s.finished and not any(later.complete and later.covers(s) for later in periods[i + 1:]):
            problems.append(f"the period marts for {_window_text(s)} failed ({_run(s)}) and have not been "
                            "rebuilt since")
    if finished_core and not any(s.complete and s.seq > core_seq for s in periods):
        problems.append("the period-free dbt models were rebuilt but the period marts have not been rebuilt "
                        "since: materialize the period marts (the rebuild_periods job, or dbt_models), or launch "
                        "build_warehouse")
    partial_core = [s for s in steps if s.step == CORE and s.finished and not s.complete and s.seq > core_seq]
    if partial_core and any(s.step.startswith("ingest:") and s.outcome == "changed" for s in steps):
        problems.append(f"only some of the period-free dbt models were rebuilt ({_run(partial_core[-1])}) after "
                        "new data was loaded: materialize all of dbt_models")
    return list(dict.fromkeys(problems))


def _window_text(s: Step) -> str:
    if (s.window_start, s.window_end) == ALL_PERIODS or s.window_start is None:
        return "every period"
    return f"{s.window_start:%Y-%m}..{s.window_end:%Y-%m}"


def built_windows(steps: list[Step]) -> list[tuple[dt.date, dt.date, str]]:
    """(first period_end, last period_end, run_id) of every period window built since the last publish."""
    return [(s.window_start, s.window_end, s.run_id) for s in steps
            if s.step == PERIODS and s.complete and s.window_start is not None]
