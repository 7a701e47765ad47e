"""dbt models as Dagster assets: one invocation for what does not depend on the period (seeds,
staging, intermediate), one for the period marts over a window of months (run config
``first_period`` / ``last_period``, YYYY-MM; empty: every period).

Nothing here runs at import: ``build_dbt_assets`` is called when the definitions are loaded
(orchestration/definitions.py), after ``ensure_manifest`` has parsed the project if needed.
"""


import logging
import os
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

PERIOD_SELECTION = "tag:period"
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


def _outcome(context: dg.AssetExecutionContext) -> str:
    """'built', or 'partial' when only some of the step's models were selected (build_state.py)."""
    every = set(context.assets_def.keys)
    return "built" if every <= set(context.selected_asset_keys) else PARTIAL


def build_dbt_assets(manifest: Path) -> tuple[dg.AssetsDefinition, dg.AssetsDefinition]:
    translator = IpwhDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(manifest=manifest, exclude=PERIOD_SELECTION, name="dbt_core_models", dagster_dbt_translator=translator)
    def dbt_core_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        """Seeds, staging and intermediate models: rebuilt whole on every build (they are period-free)."""
        with warehouse.recorded_step(CORE) as step:
            yield from dbt.cli(BUILD_ARGS, context=context, target_path=warehouse.dbt_target_path).stream()
            step["outcome"] = _outcome(context)

    @dbt_assets(manifest=manifest, select=PERIOD_SELECTION, name="dbt_period_marts", dagster_dbt_translator=translator)
    def dbt_period_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource,
                         config: PeriodWindow):
        """The marts per month-end: a run rebuilds exactly the periods of its window."""
        try:
            window = window_of(config.first_period, config.last_period)
            if window is not None:
                offered = offered_periods(data_first_period(warehouse), get_settings().first_period)
                check_window(window[0].replace(day=1), window[1].replace(day=1), offered)
        except (PeriodWindowError, ValueError) as exc:
            raise dg.Failure(description=f"cannot rebuild the periods asked for: {exc}") from None
        first, last = window or ALL_PERIODS
        context.log.info("rebuilding every period" if window is None else f"rebuilding periods {first} .. {last}")
        warehouse.set_period_window(first, last)
        with warehouse.recorded_step(PERIODS, (first, last)) as step:
            yield from dbt.cli(BUILD_ARGS, context=context, target_path=warehouse.dbt_target_path).stream()
            step["outcome"] = _outcome(context)

    return dbt_core_models, dbt_period_marts
