"""The jobs: ``build_warehouse`` (every asset, so one run ingests, checks, transforms and publishes)
and ``rebuild_periods`` (the period marts and the publish step, for a window when nothing else
changed). Both take the period window as run config (see build.py: ``build_run_config``)."""

from __future__ import annotations

import dagster as dg

BUILD_JOB = "build_warehouse"
REBUILD_PERIODS_JOB = "rebuild_periods"


def build_jobs(dbt_models: dg.AssetsDefinition) -> list[dg.UnresolvedAssetJobDefinition]:
    from .assets.dbt import period_asset_keys

    build_job = dg.define_asset_job(
        BUILD_JOB,
        selection=dg.AssetSelection.all(),
        description="Ingest every landing source, run the checks and dbt, publish the warehouse. "
        "Config ops.dbt_models.config.first_period/last_period (YYYY-MM) rebuild a window "
        "of periods; empty, every period.",
    )
    # Re-running periods when nothing else changed (same landing files, dbt project and settings as
    # the published build): only the period marts and the publish step. `ipwh build --period/--from/
    # --to` picks this job by itself when the inputs' fingerprint matches the published one.
    rebuild_periods_job = dg.define_asset_job(
        REBUILD_PERIODS_JOB,
        selection=dg.AssetSelection.assets(*period_asset_keys(dbt_models)) | dg.AssetSelection.assets("published_warehouse", "monthly_briefing"),
        description="Rebuild the period marts of a window, publish (inputs unchanged) and write the 通报.",
    )
    return [build_job, rebuild_periods_job]
