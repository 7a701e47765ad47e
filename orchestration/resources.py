"""The work warehouse a run builds into, as a Dagster resource.

Setting it up takes the build lock (waiting for another build: the run's ``ipwh/lock_wait_seconds``
tag, else ``IPWH_LOCK_WAIT_SECONDS``, else an hour for runs launched from the UI, so that they
queue rather than fail), clears what a killed copy or publish left half done, opens the persistent
work warehouse (see publish.py: a copy of the published file, or the unpublished work of earlier
runs) and records the run's context (region pack, every period) in ``audit.build_context`` for
dbt. Tearing it down releases the lock and keeps the work file: what a run loaded stays for the
runs after it, until ``published_warehouse`` publishes it.

Every asset of the graph, materialised in any combination and in any number of runs, writes into
that one file; ``published_warehouse`` publishes it only when ``audit.build_steps`` says nothing
loaded is missing from it (build_state.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb
from pydantic import Field, PrivateAttr

from .publish import (
    build_lock,
    clear_stale_work_files,
    dbt_target_dir_of,
    prepare_work_file,
    publish,
    work_dir_of,
    work_file_of,
)
from .build_state import mark_base, step_finished, step_started
from .settings import DBT_EXECUTABLE, REPO_ROOT, get_settings

log = logging.getLogger(__name__)

BUILD_CONTEXT_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.build_context (
    run_id VARCHAR, region_pack VARCHAR, period_start DATE, period_end DATE, started_at TIMESTAMP
);
"""

# Run tag: seconds this run waits for another build to finish (`ipwh build` sets it from
# IPWH_LOCK_WAIT_SECONDS; sensor and schedule runs wait an hour).
LOCK_WAIT_TAG = "ipwh/lock_wait_seconds"
# Runs launched from the UI without the tag queue behind a running build for up to this long.
UI_LOCK_WAIT_SECONDS = 3600.0

DBT_IN_BUILD = REPO_ROOT / "orchestration" / "bin" / "dbt-in-build"


def dbt_executable_for_builds() -> str:
    """dbt through a wrapper that dies with the build that started it (see bin/dbt-in-build)."""
    os.environ.setdefault("IPWH_DBT_EXECUTABLE", DBT_EXECUTABLE)
    return str(DBT_IN_BUILD) if os.access(DBT_IN_BUILD, os.X_OK) else DBT_EXECUTABLE


def work_file_for(published: Path) -> Path:
    """Where a build of ``published`` is written before it is published (one stable path: dbt's
    profile names it, so it must not change between builds for dbt to keep its partial parse)."""
    return work_file_of(published)


class WarehouseResource(dg.ConfigurableResource):
    """Paths default to the settings (environment); tests pass their own."""

    landing_dir: str = ""
    warehouse_path: str = ""
    region_pack: str = ""
    lock_wait_seconds: float | None = Field(
        default=None,
        description="How long a run waits for another build to finish before it fails, in seconds, when the "
        "run has no ipwh/lock_wait_seconds tag and IPWH_LOCK_WAIT_SECONDS is not set. Empty: an hour.")

    _stack: ExitStack | None = PrivateAttr(default=None)
    _work_file: Path | None = PrivateAttr(default=None)
    _resumed: bool = PrivateAttr(default=False)
    _run_id: str = PrivateAttr(default="")

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir) if self.landing_dir else get_settings().landing_dir

    @property
    def published_path(self) -> Path:
        return Path(self.warehouse_path).expanduser().resolve() if self.warehouse_path else get_settings().warehouse_path

    @property
    def pack(self) -> str:
        return self.region_pack or get_settings().region_pack

    @property
    def work_file(self) -> Path:
        if self._work_file is None:
            raise RuntimeError("the warehouse resource is not set up for a run")
        return self._work_file

    @property
    def dbt_target_path(self) -> Path:
        """dbt's target folder for this warehouse: one per warehouse, so partial_parse.msgpack
        carries over from build to build (dagster-dbt's default is a new folder per invocation)."""
        return dbt_target_dir_of(self.published_path)

    @property
    def run_id(self) -> str:
        return self._run_id

    def _lock_wait(self, run: dg.DagsterRun | None) -> float:
        if run is not None and LOCK_WAIT_TAG in run.tags:
            return float(run.tags[LOCK_WAIT_TAG])
        if os.environ.get("IPWH_LOCK_WAIT_SECONDS"):
            return float(os.environ["IPWH_LOCK_WAIT_SECONDS"])
        return UI_LOCK_WAIT_SECONDS if self.lock_wait_seconds is None else self.lock_wait_seconds

    @property
    def resumed(self) -> bool:
        """Whether this run continues unpublished work of earlier runs."""
        return self._resumed

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = context.dagster_run
        published = self.published_path
        self._stack = ExitStack()
        self._stack.enter_context(build_lock(
            published.with_name(published.name + ".lock"), self._lock_wait(run),
            owner=f"run {context.run_id[:8]}" if context.run_id else "",
            on_wait=context.log.info if context.log is not None else None))
        try:
            for stale in clear_stale_work_files(work_dir_of(published), published):
                log.warning("removed a file left by an interrupted build: %s", stale)
            self._run_id = context.run_id or "adhoc"
            self._work_file, self._resumed = prepare_work_file(published, work_file_for(published))
            if self._resumed and context.log is not None:
                context.log.warning(f"continuing the unpublished work of earlier runs in {self._work_file}")
            os.environ["IPWH_BUILD_DB"] = str(self._work_file)
            # dbt (profiles.yml) reads the memory limit from the environment it inherits
            os.environ["IPWH_DUCKDB_MEMORY_LIMIT"] = get_settings().duckdb_memory_limit
            with self.connect() as con:
                con.execute(BUILD_CONTEXT_DDL)
                con.execute("DELETE FROM audit.build_context")
                con.execute(
                    "INSERT INTO audit.build_context VALUES (?, ?, DATE '1900-01-31', DATE '2999-12-31', ?)",
                    [self._run_id, self.pack, dt.datetime.now()],
                )
                if not self._resumed:
                    mark_base(con, self._run_id)
        except BaseException:
            self._stack.close()
            raise

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._stack is not None:
            self._stack.close()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.work_file), read_only=read_only,
                             config={"memory_limit": get_settings().duckdb_memory_limit})
        try:
            yield con
        finally:
            con.close()

    def set_period_window(self, first_period_end: dt.date, last_period_end: dt.date) -> None:
        with self.connect() as con:
            con.execute("UPDATE audit.build_context SET period_start = ?, period_end = ?",
                        [first_period_end, last_period_end])

    def publish(self) -> Path:
        published = self.published_path
        publish(self.work_file, published, published.with_name(published.stem + ".previous" + published.suffix))
        return published

    @contextmanager
    def recorded_step(self, step: str, window=None) -> Iterator[dict[str, str]]:
        """Record ``step`` in audit.build_steps: started now, finished (with the outcome the block
        sets) only if the block completes. No connection stays open inside the block (dbt)."""
        with self.connect() as con:
            seq = step_started(con, self.run_id, step, window)
        outcome = {"outcome": "done"}
        yield outcome
        with self.connect() as con:
            step_finished(con, seq, outcome["outcome"])
