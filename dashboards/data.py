"""Every query the dashboards run against the published warehouse.

The pipeline replaces the warehouse file atomically (build into a copy, then rename). The dashboards
therefore never hold a connection: each query opens the file read-only, reads, and closes at once.
Results are cached with ``st.cache_data`` keyed by the file's identity (path, mtime_ns, size, inode),
so a newly published file is picked up on the next rerun and an unchanged one is not read again.

Why ``ATTACH`` into a fresh in-memory database rather than ``duckdb.connect(path, read_only=True)``:
DuckDB caches database instances per path inside a process. While any other session of the
Streamlit server still has the path open, ``connect(path)`` hands back that cached instance, which
still reads the *old* file after a rename. An in-memory database with the file attached read-only
always opens what the path names now.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

import duckdb
import pandas as pd
import streamlit as st

from orchestration.settings import get_settings

MISSING_WAREHOUSE_MESSAGE = "尚未发布数仓：请先运行 ipwh build"
LOCKED_WAREHOUSE_MESSAGE = "数仓文件暂时无法读取（可能正被其他程序占用），请稍后刷新页面"
INCOMPLETE_WAREHOUSE_MESSAGE = "数仓缺少页面所需的表或字段：请用当前版本重新运行 ipwh build"
NO_PERIODS_MESSAGE = "数仓中还没有指标数据：请先运行 ipwh build"

# Pauses between attempts when the file cannot be opened (a lock held elsewhere, a rename in flight).
RETRY_DELAYS_S: tuple[float, ...] = (0.05, 0.2, 0.5)

UNATTRIBUTED = "UNATTRIBUTED"
ALL_INDUSTRIES = "ALL"


class WarehouseError(Exception):
    """A problem reading the warehouse that the user should see; ``user_message`` is in Chinese."""

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(f"{user_message} ({detail})" if detail else user_message)
        self.user_message = user_message
        self.detail = detail


class WarehouseMissing(WarehouseError):
    """No warehouse has been published at the configured path yet."""


class WarehouseReplaced(Exception):
    """The file was replaced between taking its identity and opening it; run the page again."""


@dataclass(frozen=True)
class Warehouse:
    """One published version of the warehouse file. Its fields key the query cache."""

    path: str
    mtime_ns: int
    size: int
    inode: int


@dataclass(frozen=True)
class PageContext:
    """What every page is given: the warehouse version of this run and the selected month-end."""

    warehouse: Warehouse
    period_end: date


def warehouse_path() -> Path:
    return Path(get_settings().warehouse_path)


def _identify(path: Path) -> Warehouse:
    stat = os.stat(path)
    return Warehouse(str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


def published_warehouse(path: Path | None = None) -> Warehouse:
    """The warehouse file as published now; raises ``WarehouseMissing`` when there is none."""
    path = Path(path) if path is not None else warehouse_path()
    try:
        return _identify(path)
    except FileNotFoundError:
        raise WarehouseMissing(MISSING_WAREHOUSE_MESSAGE, str(path)) from None


# --- reading -------------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_once(warehouse: Warehouse, sql: str, params: Sequence[Any]) -> pd.DataFrame:
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(f"ATTACH {_sql_string(warehouse.path)} AS warehouse (READ_ONLY)")
        try:
            opened = _identify(Path(warehouse.path))
        except FileNotFoundError:
            opened = None
        if opened != warehouse:
            raise WarehouseReplaced(warehouse.path)
        connection.execute("USE warehouse")
        bound = [list(value) if isinstance(value, tuple) else value for value in params]
        return connection.execute(sql, bound).df()
    finally:
        connection.close()


def _read_frame(warehouse: Warehouse, sql: str, params: Sequence[Any]) -> pd.DataFrame:
    delays = (*RETRY_DELAYS_S, None)
    for delay in delays:
        try:
            return _read_once(warehouse, sql, params)
        except duckdb.CatalogException as exc:
            raise WarehouseError(INCOMPLETE_WAREHOUSE_MESSAGE, str(exc)) from exc
        except (duckdb.IOException, duckdb.ResourceInUseException, OSError) as exc:
            if delay is None:
                raise WarehouseError(LOCKED_WAREHOUSE_MESSAGE, str(exc)) from exc
            time.sleep(delay)
    raise AssertionError("unreachable")


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_frame(
    path: str, mtime_ns: int, size: int, inode: int, sql: str, params: tuple[Any, ...]
) -> pd.DataFrame:
    return _read_frame(Warehouse(path, mtime_ns, size, inode), sql, params)


def query(warehouse: Warehouse, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
    """Run one read-only query against this warehouse version (cached per version)."""
    return _cached_frame(
        warehouse.path, warehouse.mtime_ns, warehouse.size, warehouse.inode, sql, tuple(params)
    )


# --- the queries the pages use ------------------------------------------------------------------


def periods(warehouse: Warehouse) -> list[date]:
    """Month-ends with metric values, oldest first."""
    frame = query(warehouse, "select distinct period_end from marts.metric_values order by period_end")
    return [timestamp.date() for timestamp in pd.to_datetime(frame["period_end"])]


def regions(warehouse: Warehouse) -> pd.DataFrame:
    """region_code, region_name, short_name, level, parent_code, is_assessment_unit, sort_order (+ is_root)."""
    return query(warehouse, "select * from marts.regions order by sort_order, region_code")


def root_region(region_table: pd.DataFrame) -> pd.Series:
    """The region pack's root (the city, or the province in the provincial pack)."""
    if "is_root" in region_table.columns:
        flagged = region_table[region_table["is_root"].fillna(False).astype(bool)]
        if not flagged.empty:
            return flagged.iloc[0]
    candidates = region_table[region_table["region_code"] != UNATTRIBUTED]
    by_level = candidates[candidates["level"].isin(["city", "province"])]
    if by_level.empty:
        by_level = candidates[candidates["parent_code"].isna()]
    if by_level.empty:
        raise WarehouseError(INCOMPLETE_WAREHOUSE_MESSAGE, "marts.regions has no root region")
    return by_level.iloc[0]


def assessment_units(region_table: pd.DataFrame) -> pd.DataFrame:
    return region_table[region_table["is_assessment_unit"].fillna(False).astype(bool)]


def metric_catalog(warehouse: Warehouse) -> pd.DataFrame:
    return query(
        warehouse,
        """
        select metric_code, metric_name, unit, definition, aggregation, by_industry, assessed,
               direction, is_assumption, sort_order
        from marts.metric_catalog
        order by sort_order, metric_code
        """,
    )


def target_progress(warehouse: Warehouse) -> pd.DataFrame:
    return query(
        warehouse,
        """
        select year, period_end, metric_code, comparator, target, actual, gap, status
        from marts.target_progress
        order by metric_code, period_end
        """,
    )


def target_levels(warehouse: Warehouse) -> pd.DataFrame:
    """One row per metric and target year (metric_code, year, comparator, target).

    marts.target_progress also has a row (status no_data) for a target year without any period yet,
    so later years' targets are here too.
    """
    return query(
        warehouse,
        """
        select distinct metric_code, year, comparator, target
        from marts.target_progress
        where target is not null
        order by metric_code, year
        """,
    )


def metric_series(
    warehouse: Warehouse,
    region_code: str,
    metric_codes: Sequence[str],
    industry_code: str = ALL_INDUSTRIES,
) -> pd.DataFrame:
    """All periods of the given metrics for one region and industry."""
    return query(
        warehouse,
        """
        select period_end, metric_code, value, numerator, denominator
        from marts.metric_values
        where region_code = ? and industry_code = ? and list_contains(?, metric_code)
        order by metric_code, period_end
        """,
        (region_code, industry_code, tuple(metric_codes)),
    )


def metric_values_at(
    warehouse: Warehouse,
    period_end: date,
    metric_codes: Sequence[str],
    industry_code: str = ALL_INDUSTRIES,
) -> pd.DataFrame:
    """The given metrics for every region at one period."""
    return query(
        warehouse,
        """
        select region_code, metric_code, value, numerator, denominator
        from marts.metric_values
        where period_end = ? and industry_code = ? and list_contains(?, metric_code)
        """,
        (period_end, industry_code, tuple(metric_codes)),
    )


def population_used(warehouse: Warehouse, period_end: date) -> pd.DataFrame:
    return query(
        warehouse,
        """
        select region_code, population, population_year, series, note
        from marts.population_used
        where period_end = ?
        """,
        (period_end,),
    )


def latest_file_loads(warehouse: Warehouse) -> pd.DataFrame:
    """The latest load record of every landing file (the log keeps every build's records)."""
    return query(
        warehouse,
        """
        select source, file_name, status, rows_read, rows_loaded, rows_quarantined, loaded_at, message
        from audit.load_log
        qualify row_number() over (partition by source, file_name order by loaded_at desc) = 1
        order by source, file_name
        """,
    )


def last_loaded_at(warehouse: Warehouse) -> pd.Timestamp | None:
    value = query(warehouse, "select max(loaded_at) as last_loaded_at from audit.load_log")["last_loaded_at"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value)


def build_info(warehouse: Warehouse) -> dict[str, Any] | None:
    frame = query(
        warehouse,
        """
        select built_at, region_pack, first_period, last_period
        from audit.build_info
        order by built_at desc
        limit 1
        """,
    )
    return None if frame.empty else frame.iloc[0].to_dict()
