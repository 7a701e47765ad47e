"""dbt models as Dagster assets, run by one dbt invocation per step: the models that do not depend on
the period (seeds, staging, intermediate) and the period marts over a window of months (run config
``first_period`` / ``last_period``, YYYY-MM; empty: every period). One invocation, not one per half:
each costs dbt ~4 s of start-up whatever it builds.

Nothing here runs at import: ``build_dbt_assets`` is called when the definitions are loaded
(orchestration/definitions.py), after ``ensure_manifest`` has parsed the project if needed.
"""


import logging
import os
from contextlib import ExitStack
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version
from pydantic import Field

from ..build_state import ALL_PERIODS, CORE, PARTIAL, PERIODS
from ..partitions import PeriodWindowError, check_window, offered_periods, window_of
from ..resources import WarehouseResource, dbt_executable_for_builds, work_file_for
from ..settings import DBT_PROJECT_DIR, get_settings

log = logging.getLogger(__name__)

PERIOD_TAG = "period"  # the dbt tag of the period marts
# dbt unit tests (models/unit_tests) check the rules on hand-made rows; the test suite runs them
# (tests/unit/test_dbt_unit_tests.py), a build need not repeat them.
# --no-write-json: a build needs no manifest.json/run_results.json (dagster-dbt reads dbt's event
# stream; the manifest Dagster loads comes from ensure_manifest's parse); writing them took ~1 s.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]


def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class BuildDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without the dbt adapter it opens in this process before every command
    and without running `dbt --version`.

    dagster-dbt uses that adapter only to fetch row counts or column metadata after a command,
    which ipwh does not ask for; opening it (importing dbt's adapters, loading the profile and the
    project) cost time in every dbt step, and `dbt --version` ~1.6 s. dagster-dbt offers no public
    switch for either, so these two methods are overridden: dagster-dbt is pinned to one minor
    version (pyproject.toml) and tests/unit/test_dbt_resource.py fails when either method (or the
    call site in ``DbtCliResource.cli``) changes upstream."""

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        """The dbt that runs is the dbt-core of this environment (bin/dbt-in-build starts it)."""
        return version.parse(installed_version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    return BuildDbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable_for_builds())


def _manifest_is_stale(project_dir: Path, manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        watched += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in watched)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its files (a few seconds).
    Called when the definitions are loaded, never at import."""
    project = dbt_project()
    manifest = project.manifest_path
    # The manifest only describes the project to Dagster, so any profile will do: the builds parse
    # in a dbt target folder per warehouse (WarehouseResource.dbt_target_path), where dbt's partial-
    # parse state matches that warehouse's work file.
    os.environ.setdefault("IPWH_BUILD_DB", str(work_file_for(get_settings().warehouse_path)))
    os.environ.setdefault("IPWH_DUCKDB_MEMORY_LIMIT", get_settings().duckdb_memory_limit)
    if _manifest_is_stale(project.project_dir, manifest):
        log.info("parsing the dbt project (manifest missing or stale)")
        dbt_resource().cli(["parse", "--quiet"], target_path=Path("target")).wait()
    return manifest


class IpwhDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"


class PeriodWindow(dg.Config):
    """Which periods a run of the period marts rebuilds (the others stay as they were)."""

    first_period: str = Field(default="", description="first month to rebuild, YYYY-MM; empty: every period")
    last_period: str = Field(default="", description="last month to rebuild, YYYY-MM; empty: every period")


def data_first_period(warehouse: WarehouseResource):
    with warehouse.connect(read_only=True) as con:
        exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'intermediate' "
                             "AND table_name = 'int_data_range'").fetchone()[0]
        return con.execute("SELECT first_period FROM intermediate.int_data_range").fetchone()[0] if exists else None


def period_asset_keys(assets: dg.AssetsDefinition) -> frozenset[dg.AssetKey]:
    """The keys of the period marts (dbt tag ``period``) among ``assets``."""
    return frozenset(spec.key for spec in assets.specs if PERIOD_TAG in (spec.tags or {}))


def build_dbt_assets(manifest: Path) -> dg.AssetsDefinition:
    # dbt's data tests run inside `dbt build` (a failing one stops dbt before the models downstream of
    # it, fails this step and is named in the failure reason) but are not Dagster asset checks: each
    # check costs Dagster a planned event, a result and a step output with an event-log query, ~4 s of
    # CPU over ~180 tests in a city build, competing with dbt for the two cores. The blocking checks
    # Dagster shows are the Great Expectations suites on the raw tables (assets/ingestion.py).
    translator = IpwhDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))

    @dbt_assets(manifest=manifest, name="dbt_models", dagster_dbt_translator=translator)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                   config: PeriodWindow):
        """Every dbt model in one dbt invocation: the seeds, staging and intermediate models (period-free,
        rebuilt whole) and the period marts, for exactly the periods of the run's window (run config
        first_period / last_period, YYYY-MM; empty: every period). A subset chosen in the catalog or by
        the rebuild_periods job runs only its models."""
        every = set(context.assets_def.keys)
        period_keys = period_asset_keys(context.assets_def)
        selected = set(context.selected_asset_keys)
        core_selected, periods_selected = selected - period_keys, selected & period_keys
        window = None
        if periods_selected:
            try:
                window = window_of(config.first_period, config.last_period)
                if window is not None:
                    offered = offered_periods(data_first_period(warehouse), get_settings().first_period)
                    check_window(window[0].replace(day=1), window[1].replace(day=1), offered)
            except (PeriodWindowError, ValueError) as exc:
                raise dg.Failure(description=f"cannot rebuild the periods asked for: {exc}") from None
            context.log.info("rebuilding every period" if window is None
                             else f"rebuilding periods {window[0]} .. {window[1]}")
            warehouse.set_period_window(*(window or ALL_PERIODS))
        # A subset (say the period-free models alone) runs only the tests all of whose models it builds:
        # dbt's default ("eager") would also run a relationships test from a period mart it does not
        # build. dagster-dbt reads this variable; with every model selected it changes nothing.
        os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
        # Both halves are recorded (build_state.py), so that a publish knows what this step rebuilt;
        # they finish together, when dbt does.
        with ExitStack() as steps:
            if core_selected:
                core = steps.enter_context(warehouse.recorded_step(CORE))
                core["outcome"] = "pending"
            if periods_selected:
                marts = steps.enter_context(warehouse.recorded_step(PERIODS, window or ALL_PERIODS))
                marts["outcome"] = "pending"
            for event in dbt.cli(BUILD_ARGS, context=context, target_path=warehouse.dbt_target_path).stream():
                # with checks off, dagster-dbt reports each passed test as observations of its models:
                # ~300 more events saying nothing the run's success does not
                if not isinstance(event, dg.AssetObservation):
                    yield event
            if core_selected:
                core["outcome"] = "built" if every - period_keys <= core_selected else PARTIAL
            if periods_selected:
                marts["outcome"] = "built" if period_keys <= periods_selected else PARTIAL

    return dbt_models
