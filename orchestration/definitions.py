"""The Dagster definitions: `dagster dev` shows this graph, `ipwh build` runs it.

Loaded lazily (``@dg.definitions``): importing this module does no work; the dbt project is parsed
(when its manifest is missing or stale) when Dagster or ``ipwh build`` loads the definitions.
"""

from __future__ import annotations

import os
from functools import cache

import dagster as dg

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@cache
def build_definitions() -> dg.Definitions:
    from .assets.briefing import monthly_briefing
    from .assets.dbt import build_dbt_assets, dbt_resource, ensure_manifest
    from .assets.ingestion import ingestion_assets
    from .assets.publish import build_published_warehouse
    from .jobs import build_jobs
    from .resources import WarehouseResource
    from .schedules import monthly_build_schedule
    from .sensors import build_failure_reason_sensor, landing_folder_sensor

    dbt_models = build_dbt_assets(ensure_manifest())
    published_warehouse = build_published_warehouse(list(dbt_models.keys))
    return dg.Definitions(
        assets=[*ingestion_assets, dbt_models, published_warehouse, monthly_briefing],
        jobs=build_jobs(dbt_models),
        sensors=[landing_folder_sensor, build_failure_reason_sensor],
        schedules=[monthly_build_schedule],
        resources={
            "warehouse": WarehouseResource(),
            "dbt": dbt_resource(),
        },
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
