"""The build job: every asset, so one run ingests, checks, transforms and publishes."""

from __future__ import annotations

import dagster as dg

from .assets.dbt import dbt_period_marts
from .partitions import monthly_periods

build_job = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    partitions_def=monthly_periods,
    description="Ingest every landing source, run the checks and dbt, publish the warehouse.",
)

# Re-running periods when nothing else changed (same landing files, dbt project and settings as the
# published build): only the period marts and the publish step. `ipwh build --period/--from/--to`
# picks this job by itself when the inputs' fingerprint matches the published one.
rebuild_periods_job = dg.define_asset_job(
    "rebuild_periods",
    selection=dg.AssetSelection.assets(*dbt_period_marts.keys) | dg.AssetSelection.assets("published_warehouse", "monthly_briefing"),
    partitions_def=monthly_periods,
    description="Rebuild the period marts of a partition range and publish (inputs unchanged).",
)
