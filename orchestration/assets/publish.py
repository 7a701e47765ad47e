"""The published warehouse: the work warehouse renamed over the published path in one step.

It publishes only when ``audit.build_steps`` says the work warehouse is whole (build_state.py:
nothing loaded but not transformed, no failed blocking check, no step left half done); otherwise
the run fails with the reason and the published file stays as it was. Before the rename it records what the build was made from: one row per run in
``audit.build_info`` and, for every period the run rebuilt, one row in ``audit.period_lineage``
(replacing that period's earlier row, keeping every other period's): the settings and the input
files (path and sha256) that period's marts were computed from.
"""


import datetime as dt
import json

import dagster as dg

from ..build_state import ALL_PERIODS, built_windows, publish_blockers, steps_since_publish
from ..fingerprint import code_and_settings_fingerprint, inputs_fingerprint
from ..resources import WarehouseResource

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


def record_lineage(con, run_id: str, fingerprint: str | None = None, code_fingerprint: str | None = None) -> dict[str, object]:
    """Write audit.build_info and audit.period_lineage for what is published now; return what is
    worth showing. The periods rebuilt are those of every period window built since the last
    publish (by this run or by earlier unpublished ones)."""
    windows = built_windows(steps_since_publish(con))
    region_pack = con.execute("SELECT region_pack FROM audit.build_context").fetchone()[0]
    window_start = min((w[0] for w in windows), default=None)
    window_end = max((w[1] for w in windows), default=None)
    data_range = con.execute("SELECT first_period, last_period FROM intermediate.int_data_range").fetchone()
    con.execute(BUILD_INFO_DDL)
    con.execute("ALTER TABLE audit.build_info ADD COLUMN IF NOT EXISTS inputs_fingerprint VARCHAR")
    con.execute("ALTER TABLE audit.build_info ADD COLUMN IF NOT EXISTS code_fingerprint VARCHAR")
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
    con.execute(
        """INSERT INTO audit.build_info (run_id, built_at, region_pack, first_period, last_period, window_start,
               window_end, settings_json, files_json, inputs_fingerprint, code_fingerprint)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [run_id, built_at, region_pack, data_range[0], data_range[1], window_start, window_end,
         settings_json, files_json, fingerprint, code_fingerprint],
    )
    # Each period rebuilt gets the run that rebuilt it last; every other period keeps its row.
    con.execute("CREATE OR REPLACE TEMP TABLE rebuilt_windows (window_start DATE, window_end DATE, run_id VARCHAR, n INTEGER)")
    for n, (start, end, built_by) in enumerate(windows):
        con.execute("INSERT INTO rebuilt_windows VALUES (?, ?, ?, ?)", [start, end, built_by, n])
    con.execute("""CREATE OR REPLACE TEMP TABLE rebuilt_periods AS
                   SELECT p.period_end, arg_max(w.run_id, w.n) AS run_id
                   FROM intermediate.int_periods p JOIN rebuilt_windows w
                     ON p.period_end BETWEEN w.window_start AND w.window_end
                   GROUP BY p.period_end""")
    con.execute("DELETE FROM audit.period_lineage WHERE period_end IN (SELECT period_end FROM rebuilt_periods)")
    con.execute(
        """INSERT INTO audit.period_lineage
           SELECT period_end, run_id, ?, ?, ?, ? FROM rebuilt_periods ORDER BY period_end""",
        [built_at, region_pack, settings_json, files_json],
    )
    # periods no longer in the data range (a file removed, a narrower pack) are no longer reported
    con.execute("DELETE FROM audit.period_lineage WHERE period_end NOT IN (SELECT period_end FROM intermediate.int_periods)")
    rebuilt = [p for (p,) in con.execute("SELECT period_end FROM rebuilt_periods ORDER BY 1").fetchall()]
    # months a window asked for that the data does not reach (after the newest export's as-of date,
    # before the first record): nothing is built for them, and the run says so. A whole build's
    # window (ALL_PERIODS) asks for no month in particular.
    without_data = [p for (p,) in con.execute(
        """SELECT DISTINCT last_day(m) FROM rebuilt_windows w,
               range(date_trunc('month', w.window_start), w.window_end + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS t(m)
           WHERE NOT (w.window_start = ? AND w.window_end = ?)
             AND last_day(m) NOT IN (SELECT period_end FROM intermediate.int_periods) ORDER BY 1""",
        list(ALL_PERIODS)).fetchall()]
    other_settings = [p for (p,) in con.execute(
        "SELECT period_end FROM audit.period_lineage WHERE settings_json <> ? ORDER BY 1", [settings_json]).fetchall()]
    other_files = [p for (p,) in con.execute(
        "SELECT period_end FROM audit.period_lineage WHERE files_json <> ? ORDER BY 1", [files_json]).fetchall()]
    return {
        "first_period": data_range[0],
        "last_period": data_range[1],
        "rebuilt_periods": rebuilt,
        "asked_without_data": without_data,
        "periods_with_other_settings": other_settings,
        "periods_with_other_files": other_files,
        "settings": settings,
        "files": len(files),
    }


def build_published_warehouse(upstream: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key="published_warehouse",
        group_name="publish",
        deps=upstream,
        description="The DuckDB file dashboards and exports read (IPWH_WAREHOUSE): the work warehouse, "
        "published atomically once nothing loaded is missing from it. audit.period_lineage says which "
        "run, settings and input files each period was built from.",
        kinds={"duckdb"},
    )
    def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        return publish_work_warehouse(context, warehouse)

    return published_warehouse


def publish_work_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        blockers = publish_blockers(steps_since_publish(con))
        if blockers:
            raise dg.Failure(description="not published: " + "; ".join(blockers))
        lineage = record_lineage(con, warehouse.run_id, inputs_fingerprint(warehouse.landing, warehouse.pack),
                                 code_and_settings_fingerprint(warehouse.pack))
        con.execute("CHECKPOINT")
    stale_settings = lineage["periods_with_other_settings"]
    stale_files = lineage["periods_with_other_files"]
    if stale_settings:
        context.log.warning(
            f"{len(stale_settings)} periods not rebuilt by this run were built with other settings "
            f"({_period_ranges(stale_settings)}); rebuild them to apply the current settings")
    without_data = lineage["asked_without_data"]
    if without_data and lineage["first_period"] is None:
        context.log.warning(f"nothing was built for {_period_ranges(without_data)}: no data is loaded yet")
    elif without_data:
        context.log.warning(
            f"nothing was built for {_period_ranges(without_data)}: no data reaches "
            f"{'them' if len(without_data) > 1 else 'it'} (the data runs {lineage['first_period']:%Y-%m}.."
            f"{lineage['last_period']:%Y-%m}, to the newest export's as-of date)")
    path = warehouse.publish()
    rebuilt = lineage["rebuilt_periods"]
    return dg.MaterializeResult(metadata={
        "path": str(path),
        "first_period": str(lineage["first_period"]),
        "last_period": str(lineage["last_period"]),
        "rebuilt_periods": _period_ranges(rebuilt) if rebuilt else "none",
        "rebuilt_period_count": len(rebuilt),
        "periods_asked_without_data": _period_ranges(without_data) if without_data else "none",
        "periods_with_other_settings": _period_ranges(stale_settings) if stale_settings else "none",
        "periods_with_other_input_files": _period_ranges(stale_files) if stale_files else "none",
        "settings": dg.MetadataValue.json(lineage["settings"]),
        "input_files": lineage["files"],
    })
