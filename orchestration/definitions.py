"""The Dagster definitions: `dagster dev` shows this graph, `ipwh build` runs it."""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import dagster as dg  # noqa: E402

from .assets.dbt import dbt_core_models, dbt_period_marts, dbt_resource  # noqa: E402
from .assets.ingestion import ingestion_assets  # noqa: E402
from .assets.briefing import monthly_briefing  # noqa: E402
from .assets.publish import published_warehouse  # noqa: E402
from .checks.raw_checks import raw_checks  # noqa: E402
from .jobs import build_job, rebuild_periods_job  # noqa: E402
from .resources import WarehouseResource  # noqa: E402
from .schedules import monthly_build_schedule  # noqa: E402
from .sensors import build_failure_reason_sensor, landing_folder_sensor  # noqa: E402

defs = dg.Definitions(
    assets=[*ingestion_assets, dbt_core_models, dbt_period_marts, published_warehouse, monthly_briefing],
    asset_checks=raw_checks,
    jobs=[build_job, rebuild_periods_job],
    sensors=[landing_folder_sensor, build_failure_reason_sensor],
    schedules=[monthly_build_schedule],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_resource(),
    },
    executor=dg.in_process_executor,
)
