"""dbt models as Dagster assets: one invocation for what does not depend on the period (seeds,
staging, intermediate), one for the period marts (monthly partitions, a range in a single run)."""


import logging
import os
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any, Mapping

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from ..partitions import monthly_periods, window_of
from ..resources import WarehouseResource, dbt_executable_for_builds
from ..settings import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

PERIOD_SELECTION = "tag:period"
# dbt unit tests (models/unit_tests) check the rules on hand-made rows; the test suite runs them
# (tests/unit/test_dbt_unit_tests.py), a build need not repeat them.
# --no-write-json: a build needs no manifest.json/run_results.json (dagster-dbt reads dbt's event
# stream; the manifest Dagster loads comes from ensure_manifest's parse); writing them took ~1 s.
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]


class BuildDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, without the dbt adapter it opens in this process before every command.

    dagster-dbt uses that adapter only to fetch row counts or column metadata after a command,
    which ipwh does not ask for; opening it (importing dbt's adapters, loading the profile and the
    project) cost time in every dbt step. Nor does it run `dbt --version` to learn the version."""

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        """The dbt that runs is the dbt-core of this environment (bin/dbt-in-build starts it):
        read its version from the package metadata instead of running `dbt --version` (~1.6 s)."""
        return version.parse(installed_version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    return BuildDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable_for_builds())


def _manifest_is_stale(project_dir: Path, manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    watched = [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        watched += [p for p in (project_dir / folder).rglob("*") if p.is_file()]
    return any(p.stat().st_mtime > built for p in watched)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than its files (a few seconds)."""
    manifest = dbt_project.manifest_path
    # The manifest only describes the project to Dagster, so any profile will do: the builds parse
    # in a dbt target folder per warehouse (WarehouseResource.dbt_target_path), where dbt's partial-
    # parse state matches that warehouse's work file. (Re-parsing here whenever the work file path
    # differed from the last import cost ~5 s of start-up when builds of two warehouses alternate.)
    from ..resources import work_file_for
    from ..settings import get_settings

    os.environ.setdefault("IPWH_BUILD_DB", str(work_file_for(get_settings().warehouse_path)))
    os.environ.setdefault("IPWH_DUCKDB_MEMORY_LIMIT", get_settings().duckdb_memory_limit)
    if _manifest_is_stale(dbt_project.project_dir, manifest):
        log.info("parsing the dbt project (manifest missing or stale)")
        dbt_resource().cli(["parse", "--quiet"], target_path=Path("target")).wait()
    return manifest


class IpwhDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"


translator = IpwhDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))
MANIFEST = ensure_manifest()


@dbt_assets(manifest=MANIFEST, exclude=PERIOD_SELECTION, name="dbt_core_models", dagster_dbt_translator=translator)
def dbt_core_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Seeds, staging and intermediate models: rebuilt whole on every build (they are period-free)."""
    yield from dbt.cli(BUILD_ARGS, context=context, target_path=warehouse.dbt_target_path).stream()


@dbt_assets(
    manifest=MANIFEST,
    select=PERIOD_SELECTION,
    name="dbt_period_marts",
    partitions_def=monthly_periods,
    backfill_policy=dg.BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
)
def dbt_period_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """The marts per month-end: a run rebuilds exactly the periods of its partition range."""
    key_range = context.partition_key_range
    first, last = window_of(key_range.start, key_range.end)
    context.log.info(f"rebuilding periods {first} .. {last}")
    warehouse.set_period_window(first, last)
    yield from dbt.cli(BUILD_ARGS, context=context, target_path=warehouse.dbt_target_path).stream()
