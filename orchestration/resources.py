"""The warehouse a run builds into, as a Dagster resource.

Setting it up takes the build lock, clears what a killed build left behind, copies the published
warehouse to this run's work file and records the run's context (region pack, period window) in
``audit.build_context`` for dbt. Tearing it down drops the work file unless it was published.
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
from pydantic import PrivateAttr

from .publish import build_lock, clear_stale_work_files, prepare_work_file, publish
from .settings import get_settings

log = logging.getLogger(__name__)

BUILD_CONTEXT_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.build_context (
    run_id VARCHAR, region_pack VARCHAR, period_start DATE, period_end DATE, started_at TIMESTAMP
);
"""


def work_file_for(published: Path) -> Path:
    """Where a build of ``published`` is written before it is published."""
    return published.parent / ".build" / "build.duckdb"


class WarehouseResource(dg.ConfigurableResource):
    """Paths default to the settings (environment); tests pass their own."""

    landing_dir: str = ""
    warehouse_path: str = ""
    region_pack: str = ""
    lock_wait_seconds: float = 0.0

    _stack: ExitStack | None = PrivateAttr(default=None)
    _work_file: Path | None = PrivateAttr(default=None)
    _published: bool = PrivateAttr(default=False)
    _run_id: str = PrivateAttr(default="")

    @property
    def landing(self) -> Path:
        return Path(self.landing_dir) if self.landing_dir else get_settings().landing_dir

    @property
    def published_path(self) -> Path:
        return Path(self.warehouse_path) if self.warehouse_path else get_settings().warehouse_path

    @property
    def pack(self) -> str:
        return self.region_pack or get_settings().region_pack

    @property
    def work_file(self) -> Path:
        if self._work_file is None:
            raise RuntimeError("the warehouse resource is not set up for a run")
        return self._work_file

    @property
    def run_id(self) -> str:
        return self._run_id

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        published = self.published_path
        work_dir = published.parent / ".build"
        wait = float(os.environ.get("IPWH_LOCK_WAIT_SECONDS", self.lock_wait_seconds))
        self._stack = ExitStack()
        self._stack.enter_context(build_lock(published.with_name(published.name + ".lock"), wait))
        for stale in clear_stale_work_files(work_dir):
            log.warning("removed a work file left by an interrupted build: %s", stale)
        self._run_id = context.run_id or "adhoc"
        # One stable work path (the lock allows one build at a time): dbt's profile, which names it,
        # then stays the same between runs and dbt keeps its partial parse.
        self._work_file = prepare_work_file(published, work_file_for(published))
        os.environ["IPWH_BUILD_DB"] = str(self._work_file)
        with self.connect() as con:
            con.execute(BUILD_CONTEXT_DDL)
            con.execute("DELETE FROM audit.build_context")
            con.execute(
                "INSERT INTO audit.build_context VALUES (?, ?, DATE '1900-01-31', DATE '2999-12-31', ?)",
                [self._run_id, self.pack, dt.datetime.now()],
            )

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        try:
            if self._work_file is not None and not self._published:
                self._work_file.unlink(missing_ok=True)
                Path(str(self._work_file) + ".wal").unlink(missing_ok=True)
        finally:
            if self._stack is not None:
                self._stack.close()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        con = duckdb.connect(str(self.work_file), read_only=read_only)
        try:
            yield con
        finally:
            con.close()

    def set_period_window(self, first_period_end: dt.date, last_period_end: dt.date) -> None:
        with self.connect() as con:
            con.execute("UPDATE audit.build_context SET period_start = ?, period_end = ?",
                        [first_period_end, last_period_end])

    def publish(self) -> Path:
        publish(self.work_file, self.published_path, get_settings().previous_warehouse_path
                if not self.warehouse_path else self.published_path.with_name(
                    self.published_path.stem + ".previous" + self.published_path.suffix))
        self._published = True
        return self.published_path
