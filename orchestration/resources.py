"""The warehouse a run builds into, as a Dagster resource.

Setting it up takes the build lock, clears what a killed build left behind, copies the published
warehouse to the work file and records the run's context (region pack, period window) in
``audit.build_context`` for dbt. Tearing it down drops the work file unless it was published.

A run must carry the whole build (ingest, dbt, publish) because the work file lives only as long
as the run: ``build_warehouse`` launched from its job page, a job backfill, ``ipwh build``, the
landing sensor and the monthly schedule all do. An *asset* backfill (launched from the asset
catalog or the global asset graph) splits a mixed selection into one run per partitions
definition; such a run is refused with a message saying where to launch from instead.
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

from .publish import (
    build_lock,
    clear_stale_work_files,
    dbt_target_dir_of,
    prepare_work_file,
    publish,
    work_dir_of,
    work_file_of,
)
from .settings import DBT_EXECUTABLE, REPO_ROOT, get_settings

log = logging.getLogger(__name__)

BUILD_CONTEXT_DDL = """
CREATE SCHEMA IF NOT EXISTS audit;
CREATE TABLE IF NOT EXISTS audit.build_context (
    run_id VARCHAR, region_pack VARCHAR, period_start DATE, period_end DATE, started_at TIMESTAMP
);
"""

# Run tag: seconds this run waits for another build to finish (sensor and schedule runs wait).
LOCK_WAIT_TAG = "ipwh/lock_wait_seconds"
PUBLISHED_ASSET_KEY = dg.AssetKey("published_warehouse")

DBT_IN_BUILD = REPO_ROOT / "orchestration" / "bin" / "dbt-in-build"


def dbt_executable_for_builds() -> str:
    """dbt through a wrapper that dies with the build that started it (see bin/dbt-in-build)."""
    os.environ.setdefault("IPWH_DBT_EXECUTABLE", DBT_EXECUTABLE)
    return str(DBT_IN_BUILD) if os.access(DBT_IN_BUILD, os.X_OK) else DBT_EXECUTABLE


def work_file_for(published: Path) -> Path:
    """Where a build of ``published`` is written before it is published (one stable path: dbt's
    profile names it, so it must not change between builds for dbt to keep its partial parse)."""
    return work_file_of(published)


class PartialBuildRunError(RuntimeError):
    pass


def refuse_split_backfill_run(run: dg.DagsterRun | None) -> None:
    """An asset backfill runs a mixed selection as several runs, each with its own work file, so
    the ingestion of one run would never reach the publish of another. Say so instead of
    silently discarding the work."""
    if run is None or not run.asset_selection or "dagster/backfill" not in run.tags:
        return  # no selection (None, or empty for a whole job run in process) means every asset
    if PUBLISHED_ASSET_KEY not in run.asset_selection or len(run.asset_selection) < 2:
        raise PartialBuildRunError(
            "this run is one piece of an asset backfill, which Dagster splits into separate runs "
            "(ingestion, period marts, publish) that cannot share a work file; backfill from "
            "Jobs > build_warehouse > Materialize all > choose the partition range (one run), "
            "or run `ipwh build --from YYYY-MM --to YYYY-MM`"
        )


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
        return float(os.environ.get("IPWH_LOCK_WAIT_SECONDS", self.lock_wait_seconds))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        run = context.dagster_run
        refuse_split_backfill_run(run)
        if run is not None and run.asset_selection and PUBLISHED_ASSET_KEY not in run.asset_selection:
            context.log.warning("this run does not include published_warehouse: what it builds is "
                                "discarded when it ends (a dry run); the published warehouse is unchanged")
        published = self.published_path
        self._stack = ExitStack()
        self._stack.enter_context(build_lock(published.with_name(published.name + ".lock"), self._lock_wait(run)))
        try:
            for stale in clear_stale_work_files(work_dir_of(published), published):
                log.warning("removed a file left by an interrupted build: %s", stale)
            self._run_id = context.run_id or "adhoc"
            self._work_file = prepare_work_file(published, work_file_for(published))
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
        except BaseException:
            self._stack.close()
            raise

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
        publish(self.work_file, self.published_path, get_settings().previous_warehouse_path
                if not self.warehouse_path else self.published_path.with_name(
                    self.published_path.stem + ".previous" + self.published_path.suffix))
        self._published = True
        return self.published_path
