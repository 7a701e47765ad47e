"""The published warehouse: the build's work file renamed over the published path in one step."""


import datetime as dt
import json

import dagster as dg

from ..fingerprint import inputs_fingerprint
from ..resources import WarehouseResource
from .dbt import dbt_core_models, dbt_period_marts


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=[*dbt_core_models.keys, *dbt_period_marts.keys],
    description="The DuckDB file dashboards and exports read (IPWH_WAREHOUSE), replaced atomically.",
    kinds={"duckdb"},
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        window = con.execute("SELECT period_start, period_end, region_pack FROM audit.build_context").fetchone()
        data_range = con.execute("SELECT first_period, last_period FROM intermediate.int_data_range").fetchone()
        con.execute(
            """CREATE TABLE IF NOT EXISTS audit.build_info (
                   run_id VARCHAR, built_at TIMESTAMP, region_pack VARCHAR, first_period DATE, last_period DATE,
                   window_start DATE, window_end DATE, settings_json VARCHAR, files_json VARCHAR)"""
        )
        con.execute("ALTER TABLE audit.build_info ADD COLUMN IF NOT EXISTS inputs_fingerprint VARCHAR")
        # the files whose rows the warehouse holds: each file's latest loaded or unchanged entry
        files = con.execute(
            """SELECT source, file_name, sha256 FROM audit.load_log
               WHERE status IN ('loaded', 'unchanged')
               QUALIFY row_number() OVER (PARTITION BY source, file_name ORDER BY loaded_at DESC) = 1
               ORDER BY source, file_name"""
        ).fetchall()
        settings = dict(con.execute("SELECT setting_name, value FROM marts.settings_in_use").fetchall()) \
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'settings_in_use'").fetchone()[0] else {}
        con.execute(
            """INSERT INTO audit.build_info (run_id, built_at, region_pack, first_period, last_period, window_start,
                   window_end, settings_json, files_json, inputs_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [warehouse.run_id, dt.datetime.now().replace(microsecond=0), window[2], data_range[0], data_range[1],
             window[0], window[1], json.dumps(settings, ensure_ascii=False),
             json.dumps([{"source": s, "file": f, "sha256": h} for s, f, h in files], ensure_ascii=False),
             inputs_fingerprint(warehouse.landing, warehouse.pack)],
        )
        con.execute("CHECKPOINT")
    path = warehouse.publish()
    return dg.MaterializeResult(metadata={"path": str(path), "first_period": str(data_range[0]),
                                          "last_period": str(data_range[1])})
