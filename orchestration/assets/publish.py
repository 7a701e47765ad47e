"""The published warehouse: the build's work file renamed over the published path in one step.

Before the rename it records what the build was made from: one row per run in
``audit.build_info`` and, for every period the run rebuilt, one row in ``audit.period_lineage``
(replacing that period's earlier row, keeping every other period's): the settings and the input
files (path and sha256) that period's marts were computed from.
"""


import datetime as dt
import json

import dagster as dg

from ..fingerprint import inputs_fingerprint
from ..resources import WarehouseResource
from .dbt import dbt_core_models, dbt_period_marts

BUILD_INFO_DDL = """
CREATE TABLE IF NOT EXISTS audit.build_info (
    run_id VARCHAR, built_at TIMESTAMP, region_pack VARCHAR, first_period DATE, last_period DATE,
    window_start DATE, window_end DATE, settings_json VARCHAR, files_json VARCHAR)
"""

PERIOD_LINEAGE_DDL = """
CREATE TABLE IF NOT EXISTS audit.period_lineage (
    period_end DATE, run_id VARCHAR, built_at TIMESTAMP, region_pack VARCHAR,
    settings_json VARCHAR, files_json VARCHAR)
"""


def _settings_in_use(con) -> dict[str, str]:
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = 'settings_in_use'"
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute("SELECT setting_name, value FROM marts.settings_in_use ORDER BY setting_name").fetchall())


def _period_ranges(periods: list[dt.date]) -> str:
    """'2003-10..2019-12, 2021-01' from sorted month-ends."""
    runs: list[list[dt.date]] = []
    for p in periods:
        if runs and (p.year * 12 + p.month) - (runs[-1][-1].year * 12 + runs[-1][-1].month) == 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]:%Y-%m}" + (f"..{r[-1]:%Y-%m}" if len(r) > 1 else "") for r in runs)


def record_lineage(con, run_id: str, fingerprint: str | None = None) -> dict[str, object]:
    """Write audit.build_info and audit.period_lineage for this run; return what is worth showing."""
    region_pack_start_end = con.execute("SELECT period_start, period_end, region_pack FROM audit.build_context").fetchone()
    data_range = con.execute("SELECT first_period, last_period FROM intermediate.int_data_range").fetchone()
    con.execute(BUILD_INFO_DDL)
    con.execute("ALTER TABLE audit.build_info ADD COLUMN IF NOT EXISTS inputs_fingerprint VARCHAR")
    con.execute(PERIOD_LINEAGE_DDL)
    # the files whose rows the warehouse holds: each file's latest loaded or unchanged entry
    files = con.execute(
        """SELECT source, file_name, sha256 FROM audit.load_log
           WHERE status IN ('loaded', 'unchanged')
           QUALIFY row_number() OVER (PARTITION BY source, file_name ORDER BY loaded_at DESC) = 1
           ORDER BY source, file_name"""
    ).fetchall()
    settings = _settings_in_use(con)
    settings_json = json.dumps(settings, ensure_ascii=False, sort_keys=True)
    files_json = json.dumps([{"source": s, "file": f, "sha256": h} for s, f, h in files], ensure_ascii=False)
    built_at = dt.datetime.now().replace(microsecond=0)
    window_start, window_end, region_pack = region_pack_start_end
    con.execute(
        """INSERT INTO audit.build_info (run_id, built_at, region_pack, first_period, last_period, window_start,
               window_end, settings_json, files_json, inputs_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [run_id, built_at, region_pack, data_range[0], data_range[1], window_start, window_end,
         settings_json, files_json, fingerprint],
    )
    # The periods this run rebuilt are the ones int_periods flags in_window (the marts' window).
    con.execute("DELETE FROM audit.period_lineage WHERE period_end IN "
                "(SELECT period_end FROM intermediate.int_periods WHERE in_window)")
    con.execute(
        """INSERT INTO audit.period_lineage
           SELECT period_end, ?, ?, ?, ?, ? FROM intermediate.int_periods WHERE in_window ORDER BY period_end""",
        [run_id, built_at, region_pack, settings_json, files_json],
    )
    rebuilt = [p for (p,) in con.execute(
        "SELECT period_end FROM intermediate.int_periods WHERE in_window ORDER BY 1").fetchall()]
    other_settings = [p for (p,) in con.execute(
        "SELECT period_end FROM audit.period_lineage WHERE settings_json <> ? ORDER BY 1", [settings_json]).fetchall()]
    other_files = [p for (p,) in con.execute(
        "SELECT period_end FROM audit.period_lineage WHERE files_json <> ? ORDER BY 1", [files_json]).fetchall()]
    return {
        "first_period": data_range[0],
        "last_period": data_range[1],
        "rebuilt_periods": rebuilt,
        "periods_with_other_settings": other_settings,
        "periods_with_other_files": other_files,
        "settings": settings,
        "files": len(files),
    }


@dg.asset(
    key="published_warehouse",
    group_name="publish",
    deps=[*dbt_core_models.keys, *dbt_period_marts.keys],
    description="The DuckDB file dashboards and exports read (IPWH_WAREHOUSE), replaced atomically. "
    "audit.period_lineage says which settings and input files each period was built from.",
    kinds={"duckdb"},
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        lineage = record_lineage(con, warehouse.run_id, inputs_fingerprint(warehouse.landing, warehouse.pack))
        con.execute("CHECKPOINT")
    stale_settings = lineage["periods_with_other_settings"]
    stale_files = lineage["periods_with_other_files"]
    if stale_settings:
        context.log.warning(
            f"{len(stale_settings)} periods not rebuilt by this run were built with other settings "
            f"({_period_ranges(stale_settings)}); rebuild them to apply the current settings")
    path = warehouse.publish()
    rebuilt = lineage["rebuilt_periods"]
    return dg.MaterializeResult(metadata={
        "path": str(path),
        "first_period": str(lineage["first_period"]),
        "last_period": str(lineage["last_period"]),
        "rebuilt_periods": _period_ranges(rebuilt) if rebuilt else "none",
        "rebuilt_period_count": len(rebuilt),
        "periods_with_other_settings": _period_ranges(stale_settings) if stale_settings else "none",
        "periods_with_other_input_files": _period_ranges(stale_files) if stale_files else "none",
        "settings": dg.MetadataValue.json(lineage["settings"]),
        "input_files": lineage["files"],
    })
