"""The build job: every asset, so one run ingests, checks, transforms and publishes."""

from __future__ import annotations

import dagster as dg

from .partitions import monthly_periods

build_job = dg.define_asset_job(
    "build_warehouse",
    selection=dg.AssetSelection.all(),
    partitions_def=monthly_periods,
    description="Ingest every landing source, run the checks and dbt, publish the warehouse.",
)
