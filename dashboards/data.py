"""Every query the dashboards run against the published warehouse.

The pipeline replaces the warehouse file atomically (build into a copy, then rename). The dashboards
therefore never hold a connection beyond one page run: a query opens the file read-only, reads, and
closes at once; inside ``reading_session()`` (app.py wraps each page run in one) the queries of that
run share the connection the first of them opened, and it is closed when the run ends. One attach per
run instead of one per query (~20 ms each at province scale), DuckDB's block cache shared between
the run's queries, and every number on a page read from the same version of the file.
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
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import duckdb
import pandas as pd
import streamlit as st

from dashboards.auth import DEMO_VIEWER, Viewer
from dashboards.drilldown import STRATEGIC_RULES_SQL, RecordList, record_list
from orchestration import exports
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
    """What every page is given: the warehouse version, the selected month-end, and who is looking."""

    warehouse: Warehouse
    period_end: date
    viewer: Viewer = DEMO_VIEWER


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


_run_state = threading.local()  # Streamlit runs each session's script in a thread of its own


@contextmanager
def reading_session() -> Iterator[None]:
    """Within this block the queries of one page run share one read-only connection per warehouse
    version (opened by the first query that misses the cache); all are closed when the block ends."""
    outer = getattr(_run_state, "connections", None)
    _run_state.connections = {}
    try:
        yield
    finally:
        opened, _run_state.connections = _run_state.connections, outer
        for connection in opened.values():
            connection.close()


def _open(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    """A read-only connection to exactly this version of the file (WarehouseReplaced otherwise)."""
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
    except BaseException:
        connection.close()
        raise
    return connection


def _read_once(warehouse: Warehouse, sql: str, params: Sequence[Any]) -> pd.DataFrame:
    bound = [list(value) if isinstance(value, tuple) else value for value in params]
    shared = getattr(_run_state, "connections", None)
    if shared is None:
        connection = _open(warehouse)
        try:
            return connection.execute(sql, bound).df()
        finally:
            connection.close()
    if warehouse not in shared:
        shared[warehouse] = _open(warehouse)
    return shared[warehouse].execute(sql, bound).df()


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


# Tables whose rows are records of one unit (or raw values of the exports). A query naming one must
# say how the viewer's scope was applied (``access``): "scoped" (filtered by the regions record_scope
# granted), "aggregate" (counts only, no record leaves the query) or "city" (require_city passed).
RECORD_TABLES = (
    "patent_facts", "patent_holdings", "trademark_facts", "enterprise_facts", "enterprise_designations",
    "fee_warnings", "zero_invention_enterprises", "key_enterprise_progress", "hightech_without_invention",
    "metric_records", "unmatched_roster_entries", "entity_review_list", "overseas_filing_facts", "pledge_facts",
    "quarantine", "flags", "metric_change_events",
)
_RECORD_TABLE = re.compile(r"\b(?:marts|audit)\.(?:" + "|".join(RECORD_TABLES) + r")\b")
ACCESS_KINDS = ("scoped", "aggregate", "city")


class ScopeNotApplied(RuntimeError):
    """A query read a record-level table without saying how the viewer's scope applies (a bug)."""


def _check_access(sql: str, access: str | None) -> None:
    if access is not None and access not in ACCESS_KINDS:
        raise ValueError(f"access must be one of {ACCESS_KINDS}")
    if access is None and _RECORD_TABLE.search(sql):
        raise ScopeNotApplied(f"record-level table read without a scope: {sql.strip()[:200]}")


def query(warehouse: Warehouse, sql: str, params: Sequence[Any] = (), *, access: str | None = None) -> pd.DataFrame:
    """Run one read-only query against this warehouse version (cached per version).

    A query of a record-level table (RECORD_TABLES) must pass ``access``; see above."""
    _check_access(sql, access)
    return _cached_frame(
        warehouse.path, warehouse.mtime_ns, warehouse.size, warehouse.inode, sql, tuple(params)
    )


def query_uncached(
    warehouse: Warehouse, sql: str, params: Sequence[Any] = (), *, access: str | None = None
) -> pd.DataFrame:
    """The same read without the cache: for full-length exports, built only when someone downloads."""
    _check_access(sql, access)
    return _read_frame(warehouse, sql, tuple(params))


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
        select metric_code, metric_name, unit, definition, aggregation, period_kind, by_industry, assessed,
               direction, is_assumption, sort_order
        from marts.metric_catalog
        order by sort_order, metric_code
        """,
    )


def target_progress(warehouse: Warehouse) -> pd.DataFrame:
    return query(
        warehouse,
        """
        select year, period_end, metric_code, comparator, target, actual, gap, status, expected_by_now
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


# --- access: who may see which unit's records ------------------------------------------------------

ACCESS_DENIED_MESSAGE = "无权查看其他单位的企业明细：县区账号只能查看本单位的企业、专利和商标记录"
CITY_ONLY_MESSAGE = "该明细仅市级账号可见"


class AccessDenied(WarehouseError):
    """A viewer asked for records outside their unit. Raised by the data layer, whatever the page sends."""


def bind(template: str, **values: Any) -> tuple[str, tuple[Any, ...]]:
    """Turn ``:name`` placeholders into positional ``?`` parameters, in order of appearance."""
    params: list[Any] = []

    def replace(match: re.Match[str]) -> str:
        params.append(values[match.group(1)])
        return "?"

    sql = re.sub(r"(?<![:\w]):([a-z_]+)\b", replace, template)
    return sql, tuple(params)


def root_code(warehouse: Warehouse) -> str:
    return str(root_region(regions(warehouse))["region_code"])


def region_names(warehouse: Warehouse) -> dict[str, str]:
    table = regions(warehouse)
    return dict(zip(table["region_code"], table["region_name"]))


def unit_codes(warehouse: Warehouse) -> list[str]:
    return list(assessment_units(regions(warehouse))["region_code"])


def visible_units(warehouse: Warehouse, viewer: Viewer) -> list[str]:
    """The units whose enterprise-level pages this viewer may open."""
    units = unit_codes(warehouse)
    if viewer.sees_all_units:
        return units
    return [code for code in units if code == viewer.region_code]


def record_scope(warehouse: Warehouse, viewer: Viewer, requested: str | None) -> tuple[str, ...]:
    """The region codes whose records may be listed for a request; the access rule of every list.

    ``requested`` is the root (or None: everything the viewer may see), a unit, or UNATTRIBUTED.
    City leadership gets what it asks for; a unit official gets their own unit, and a request for
    any other unit raises ``AccessDenied`` — whether it came from a widget, the URL or session state.
    """
    root = root_code(warehouse)
    units = unit_codes(warehouse)
    if viewer.sees_all_units:
        if requested in (None, "", root):
            return (*units, UNATTRIBUTED)
        if requested in units or requested == UNATTRIBUTED:
            return (requested,)
        raise WarehouseError("未知的地区代码", str(requested))
    if viewer.region_code not in units:
        raise AccessDenied(ACCESS_DENIED_MESSAGE, f"{viewer.username}: {viewer.region_code} is not a unit")
    if requested in (None, "", root, viewer.region_code):
        return (viewer.region_code,)
    raise AccessDenied(ACCESS_DENIED_MESSAGE, f"{viewer.username} asked for {requested}")


def require_city(viewer: Viewer) -> None:
    if not viewer.sees_all_units:
        raise AccessDenied(CITY_ONLY_MESSAGE, str(viewer.username))


def table_exists(warehouse: Warehouse, schema: str, name: str) -> bool:
    frame = query(
        warehouse,
        "select count(*) as n from information_schema.tables where table_schema = ? and table_name = ?",
        (schema, name),
    )
    return bool(frame["n"].iloc[0])


def table_columns(warehouse: Warehouse, schema: str, name: str) -> list[str]:
    frame = query(
        warehouse,
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position",
        (schema, name),
    )
    return list(frame["column_name"])


def _year_start(period_end: date) -> date:
    return date(period_end.year, 1, 1)


# --- record lists (each one scoped by record_scope) ------------------------------------------------

DISPLAY_LIMIT = 500


@dataclass(frozen=True)
class Records:
    """One page of a record list, its full size, and what it was asked for (to fetch it all again)."""

    spec: RecordList
    frame: pd.DataFrame  # raw columns (region_code kept), at most the limit asked for
    total: int
    scope: tuple[str, ...]
    period_end: date
    industry_code: str = ALL_INDUSTRIES


def read_records(
    warehouse: Warehouse,
    spec: RecordList,
    scope: tuple[str, ...],
    period_end: date,
    industry_code: str = ALL_INDUSTRIES,
    limit: int | None = DISPLAY_LIMIT,
    read: Callable[..., pd.DataFrame] = query,
) -> Records:
    """A record list for a scope that ``record_scope`` has already granted."""
    if not spec.available:
        return Records(spec, pd.DataFrame(), 0, scope, period_end, industry_code)
    values = {"period": period_end, "year_start": _year_start(period_end), "regions": scope, "industry": industry_code}
    sql, params = bind(spec.sql, **values)
    listing = sql if limit is None else f"select * from ({sql}) limit {int(limit)}"
    if ":regions" not in spec.sql:
        raise ScopeNotApplied(f"record list {spec.kind!r} has no :regions filter")
    frame = read(warehouse, listing, params, access="scoped")
    total = len(frame) if limit is None else int(
        read(warehouse, f"select count(*) as n from ({sql})", params, access="scoped")["n"].iloc[0]
    )
    return Records(spec, frame, total, scope, period_end, industry_code)


def full_records(warehouse: Warehouse, records: Records) -> pd.DataFrame:
    """Every row of a list shown before (same scope), read afresh for a download."""
    return read_records(
        warehouse, records.spec, records.scope, records.period_end, records.industry_code, None, query_uncached
    ).frame


def metric_records(
    warehouse: Warehouse,
    viewer: Viewer,
    metric_code: str,
    period_end: date,
    region: str | None = None,
    industry_code: str = ALL_INDUSTRIES,
    limit: int | None = DISPLAY_LIMIT,
) -> Records:
    """The records a metric counts for a region and period, as far as this viewer may see them."""
    scope = record_scope(warehouse, viewer, region)
    return read_records(warehouse, record_list(metric_code), scope, period_end, industry_code, limit)


def action_list(
    warehouse: Warehouse,
    viewer: Viewer,
    list_name: str,
    period_end: date,
    region: str | None = None,
    industry_code: str = ALL_INDUSTRIES,
    limit: int | None = DISPLAY_LIMIT,
) -> Records:
    """清零 (zero), key enterprises (key), high-tech without invention (hightech), fee warnings (fees)."""
    specs = {
        "zero": record_list("above_scale_zero_invention"),
        "key": record_list("key_enterprise_doubling_ratio"),
        "fees": record_list("fee_warning_patents"),
        "hightech": HIGHTECH_WITHOUT_INVENTION,
    }
    scope = record_scope(warehouse, viewer, region)
    return read_records(warehouse, specs[list_name], scope, period_end, industry_code, limit)


HIGHTECH_WITHOUT_INVENTION = RecordList(
    "hightech_without",
    "无有效发明专利的高新技术企业",
    """
    select h.enterprise, h.uscc, h.region_code, h.industry_code, h.certificate_no, h.valid_until
    from marts.hightech_without_invention as h
    where h.period_end = :period and list_contains(:regions, h.region_code)
      and (:industry = 'ALL' or h.industry_code = :industry)
    order by h.valid_until, h.region_code, h.enterprise
    """,
    {
        "enterprise": "企业名称",
        "uscc": "统一社会信用代码",
        "region_name": "所属单位",
        "industry_code": "所属产业",
        "certificate_no": "高企证书编号",
        "valid_until": "证书有效期至",
    },
)


def fee_warnings_by_enterprise(
    warehouse: Warehouse, viewer: Viewer, period_end: date, region: str | None = None
) -> pd.DataFrame:
    """Per patentee: patents by warning state and the fees (and surcharges) they owe."""
    scope = record_scope(warehouse, viewer, region)
    sql, params = bind(
        """
        select patentee, max(uscc) as uscc, any_value(region_code) as region_code,
               count(*) filter (where state = 'lapse_risk') as lapse_risk,
               count(*) filter (where state = 'grace') as grace,
               count(*) filter (where state = 'due_soon') as due_soon,
               count(*) filter (where state = 'unknown') as unknown,
               count(*) filter (where state <> 'unknown') as warned,
               sum(fee_yuan) filter (where state <> 'unknown') as fee_yuan,
               sum(surcharge_yuan) filter (where state <> 'unknown') as surcharge_yuan,
               min(due_date) filter (where state <> 'unknown') as first_due
        from marts.fee_warnings
        where period_end = :period and list_contains(:regions, region_code)
        group by coalesce(uscc, patentee), patentee
        order by lapse_risk desc, grace desc, due_soon desc, patentee
        """,
        period=period_end,
        regions=scope,
    )
    return query(warehouse, sql, params, access="scoped")


def fee_warning_counts(warehouse: Warehouse, period_end: date) -> pd.DataFrame:
    """Patents per unit and warning state (counts only: every viewer may see them)."""
    return query(
        warehouse,
        """
        select region_code, state, count(*) as patents, sum(fee_yuan) as fee_yuan, sum(surcharge_yuan) as surcharge_yuan
        from marts.fee_warnings
        where period_end = ?
        group by region_code, state
        """,
        (period_end,),
        access="aggregate",
    )


# --- enterprises ------------------------------------------------------------------------------------


def enterprise_search(
    warehouse: Warehouse, viewer: Viewer, text: str, region: str | None = None, limit: int = 50
) -> pd.DataFrame:
    """Enterprises whose name or credit code contains ``text``, within the viewer's scope."""
    scope = record_scope(warehouse, viewer, region)
    pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql, params = bind(
        """
        select enterprise_id, uscc, enterprise, region_code, industry_code, gb_industry_code
        from marts.enterprise_facts
        where list_contains(:regions, region_code)
          and (enterprise ilike :pattern escape '\\' or uscc ilike :pattern escape '\\')
        order by length(enterprise), enterprise
        limit :limit
        """,
        regions=scope,
        pattern=pattern,
        limit=limit,
    )
    return query(warehouse, sql, params, access="scoped")


@dataclass(frozen=True)
class EnterpriseProfile:
    facts: pd.Series
    designations: pd.DataFrame
    patents: pd.DataFrame
    trademarks: pd.DataFrame


def enterprise_profile(warehouse: Warehouse, viewer: Viewer, enterprise_id: str, period_end: date) -> EnterpriseProfile | None:
    """One enterprise: its facts, designations, the patents it holds and its trademarks.

    Patents come from ``marts.patent_holdings`` (every co-patentee matched to an enterprise, former
    names included), never from a name string: a same-named firm elsewhere is another enterprise.
    A unit official gets ``AccessDenied`` for an enterprise of another unit, and sees only the
    patents and trademarks counted for their own unit (or for no unit: outside the region pack).
    """
    scope = record_scope(warehouse, viewer, None)
    facts = query(
        warehouse,
        "select enterprise_id, uscc, enterprise, region_code, industry_code, gb_industry_code "
        "from marts.enterprise_facts where enterprise_id = ? and list_contains(?, region_code)",
        (enterprise_id, scope),
        access="scoped",
    )
    if facts.empty:
        exists = query(
            warehouse, "select count(*) as n from marts.enterprise_facts where enterprise_id = ?", (enterprise_id,),
            access="aggregate",
        )
        if int(exists["n"].iloc[0]) and not viewer.sees_all_units:
            raise AccessDenied(ACCESS_DENIED_MESSAGE, f"{viewer.username} asked for {enterprise_id}")
        return None
    row = facts.iloc[0]
    designations = query(
        warehouse,
        """
        select kind, level, source_key, valid_from, valid_until,
               coalesce(valid_from <= ? and (valid_until is null or valid_until > ?), false) as valid_now
        from marts.enterprise_designations where enterprise_id = ?
        order by valid_from desc, kind
        """,
        (period_end, period_end, enterprise_id),
        access="scoped",  # the enterprise itself passed the scope above
    )
    patent_sql, patent_params = bind(
        """
        select p.application_no, p.title, p.patent_type, p.application_date, p.grant_date, p.first_patentee, p.patentees,
               p.region_code, p.legal_status, p.lapse_date, h.holder_name, h.is_first,
               """ + STRATEGIC_RULES_SQL + """ as strategic_rules,
               coalesce(p.valid_from <= :period and (p.valid_until is null or p.valid_until > :period), false) as valid_now,
               coalesce(p.hv_from <= :period, false) as high_value_now
        from marts.patent_holdings as h
        join marts.patent_facts as p using (application_no)
        where h.enterprise_id = :enterprise
          and (list_contains(:regions, p.region_code) or p.region_code is null)
        order by valid_now desc, p.is_invention desc, p.application_date desc, p.application_no
        """,
        period=period_end, enterprise=enterprise_id, regions=scope,
    )
    patents = query(warehouse, patent_sql, patent_params, access="scoped")
    trademark_sql, trademark_params = bind(
        """
        select reg_no, nice_class, name, status, valid_from, term_end, region_code,
               coalesce(valid_from <= :period and (valid_until is null or valid_until > :period), false) as valid_now
        from marts.trademark_facts
        where enterprise_id = :enterprise and (list_contains(:regions, region_code) or region_code is null)
        order by valid_now desc, reg_no, nice_class
        """,
        period=period_end, enterprise=enterprise_id, regions=scope,
    )
    trademarks = query(warehouse, trademark_sql, trademark_params, access="scoped")
    return EnterpriseProfile(row, designations, patents, trademarks)


# --- aggregates every viewer may see ----------------------------------------------------------------


def county_assessment(warehouse: Warehouse, period_end: date) -> exports.AssessmentReport:
    """The county assessment report (the same object the Excel and CSV exports are written from)."""

    def read(sql: str, params: Sequence[Any]) -> pd.DataFrame:
        return query(warehouse, sql, tuple(params)).copy()

    return exports.load_county_assessment(read, period_end)


def industry_values(warehouse: Warehouse, region_code: str, metric_codes: Sequence[str]) -> pd.DataFrame:
    """The given metrics by industry (not ALL) for one region, every period."""
    return query(
        warehouse,
        """
        select period_end, industry_code, metric_code, value
        from marts.metric_values
        where region_code = ? and industry_code <> 'ALL' and list_contains(?, metric_code)
        order by period_end, industry_code
        """,
        (region_code, tuple(metric_codes)),
    )


def strategic_emerging_branches(warehouse: Warehouse) -> pd.DataFrame:
    """The 40 branches of the strategic-emerging table (empty when the warehouse predates them)."""
    if not table_exists(warehouse, "marts", "strategic_emerging_branches"):
        return pd.DataFrame()
    return query(
        warehouse,
        "select branch_code, branch_name, sector_code, sector_name, rules, include_patterns, exclude_patterns, "
        "rules_with_keywords, doubtful_rules, policy_industry_code from marts.strategic_emerging_branches",
    )


def strategic_emerging_values_at(warehouse: Warehouse, period_end: date) -> pd.DataFrame:
    """Every region's strategic-emerging figures at one period (marts.strategic_emerging_values)."""
    if not table_exists(warehouse, "marts", "strategic_emerging_values"):
        return pd.DataFrame(columns=["region_code", "group_kind", "group_code", "metric_code", "value"])
    return query(
        warehouse,
        "select region_code, group_kind, group_code, metric_code, value "
        "from marts.strategic_emerging_values where period_end = ?",
        (period_end,),
    )


def unit_series(warehouse: Warehouse, metric_code: str) -> pd.DataFrame:
    """One metric (industry ALL) for every region and period."""
    return query(
        warehouse,
        """
        select period_end, region_code, value
        from marts.metric_values
        where metric_code = ? and industry_code = 'ALL'
        order by period_end, region_code
        """,
        (metric_code,),
    )


def settings_in_use(warehouse: Warehouse) -> pd.DataFrame:
    return query(
        warehouse,
        "select setting_name, value, default_value, is_overridden, unit, description_zh, source "
        "from marts.settings_in_use order by setting_name",
    )


# --- data quality -------------------------------------------------------------------------------------


def load_history(warehouse: Warehouse, limit: int = 500) -> pd.DataFrame:
    return query(
        warehouse,
        f"""
        select source, file_name, status, rows_read, rows_loaded, rows_quarantined, loaded_at, message
        from audit.load_log
        order by loaded_at desc, source, file_name
        limit {int(limit)}
        """,
    )


def file_profiles(warehouse: Warehouse) -> pd.DataFrame:
    """Per loaded file (its latest load): the export profile recognised, the headers not used and the
    roster metadata inferred (issue 13; empty for a warehouse built before those were recorded)."""
    if "profile" not in table_columns(warehouse, "audit", "load_log"):
        return pd.DataFrame(columns=["source", "file_name", "profile", "unused_headers", "inferred"])
    return query(
        warehouse,
        """
        select source, file_name, profile, unused_headers, inferred
        from audit.load_log
        where status = 'loaded'
        qualify row_number() over (partition by source, file_name order by loaded_at desc) = 1
        order by source, file_name
        """,
    )


def unknown_words(warehouse: Warehouse) -> pd.DataFrame:
    """Words of coded columns not in the vocabulary seed (quarantined as unknown_value), by count:
    what a data engineer adds to dbt_project/seeds/value_vocabulary.csv."""
    return query(
        warehouse,
        """
        select source, column_name, raw_value, count(*) as rows
        from audit.quarantine
        where rule = 'unknown_value'
        group by all
        order by rows desc, source, column_name, raw_value
        limit 200
        """,
        # words of the vocabulary columns (types, statuses, classes) grouped by count: no record's key,
        # holder or unit, so every viewer may see them
        access="aggregate",
    )


def source_freshness(warehouse: Warehouse) -> pd.DataFrame:
    """Per source: the latest load, the number of files and rows in use."""
    return query(
        warehouse,
        """
        with latest as (
            select * from audit.load_log
            qualify row_number() over (partition by source, file_name order by loaded_at desc) = 1
        )
        select source,
               max(loaded_at) as last_loaded_at,
               count(*) as files,
               count(*) filter (where status = 'rejected') as rejected_files,
               sum(rows_loaded) filter (where status <> 'rejected') as rows_loaded,
               arg_max(file_name, loaded_at) as latest_file
        from latest
        group by source
        order by source
        """,
    )


def source_summary(warehouse: Warehouse) -> pd.DataFrame | None:
    """marts.data_quality_sources (None on a warehouse built before it existed): per source the newest
    export in use by its as-of date and the rows in use after supersession."""
    if not table_exists(warehouse, "marts", "data_quality_sources"):
        return None
    return query(
        warehouse,
        "select source, last_loaded_at, files, rejected_files, rows_loaded_all_files, rows_in_use, newest_file, "
        "newest_as_of from marts.data_quality_sources order by source",
    )



def issue_counts(warehouse: Warehouse, table: str, *, viewer: Viewer) -> pd.DataFrame:
    """audit.quarantine or audit.flags: rows per source, column and rule, with one example message.

    The example quotes a raw value of some unit's export, so only city leadership gets it; for
    everyone else ``example`` is empty (the counts are the same for all)."""
    if table not in ("quarantine", "flags"):
        raise ValueError(table)
    example = "any_value(message)" if viewer.sees_all_units else "cast(null as varchar)"
    return query(
        warehouse,
        f"""
        select source, rule, column_name, count(*) as rows, {example} as example
        from audit.{table}
        group by source, rule, column_name
        order by rows desc, source, rule
        """,
        access="city" if viewer.sees_all_units else "aggregate",
    )


def issue_rows(
    warehouse: Warehouse, viewer: Viewer, table: str, source: str | None = None, rule: str | None = None, limit: int = DISPLAY_LIMIT
) -> pd.DataFrame:
    """Row-level quarantine or flags (raw values from the exports): city leadership only."""
    require_city(viewer)
    if table not in ("quarantine", "flags"):
        raise ValueError(table)
    return query(
        warehouse,
        f"""
        select source, file_name, row_number, column_name, raw_value, rule, message
        from audit.{table}
        where (? is null or source = ?) and (? is null or rule = ?)
        order by source, file_name, row_number
        limit {int(limit)}
        """,
        (source, source, rule, rule),
        access="city",
    )


CITY_ONLY_MARTS = ("entity_review_list",)
# Columns naming an enterprise other than the row's own: shown to a unit official only when that
# enterprise belongs to their unit too.
_OTHER_ENTERPRISE_COLUMNS = {"closest_enterprise_id": ("closest_enterprise_id", "closest_enterprise", "closest_score")}


def optional_mart(
    warehouse: Warehouse,
    name: str,
    viewer: Viewer,
    columns: Sequence[str] | None = None,
    limit: int = DISPLAY_LIMIT,
) -> pd.DataFrame | None:
    """A data-quality mart that may not exist yet (None then), its given columns where present.

    Rows with a region_code are scoped to what the viewer may see, and a column naming another
    enterprise (the closest candidate of an unmatched roster row) is blanked when that enterprise
    is outside the viewer's scope; the name-review list is for city leadership only; the marts of
    counts (no region_code) are for everyone.
    """
    if not table_exists(warehouse, "marts", name):
        return None
    present = table_columns(warehouse, "marts", name)
    chosen = [c for c in (columns or present) if c in present]
    if name in CITY_ONLY_MARTS:
        require_city(viewer)
    if "region_code" not in present:
        if name in RECORD_TABLES:
            require_city(viewer)
        select = ", ".join(f'"{c}"' for c in chosen)
        return query(warehouse, f"select {select} from marts.{name} limit {int(limit)}",
                     access="city" if name in RECORD_TABLES else None)
    scope = record_scope(warehouse, viewer, None)
    hidden: set[str] = set()
    joins = ""
    if not viewer.sees_all_units:
        for key, columns_of_key in _OTHER_ENTERPRISE_COLUMNS.items():
            if key in present:
                joins += (f" left join marts.enterprise_facts as {key}_e on {key}_e.enterprise_id = m.\"{key}\""
                          f" and list_contains(?, {key}_e.region_code)")
                hidden.update((c, key) for c in columns_of_key if c in present)
    hidden_of = dict(hidden)
    select = ", ".join(
        f'case when {hidden_of[c]}_e.enterprise_id is not null then m."{c}" end as "{c}"' if c in hidden_of else f'm."{c}"'
        for c in chosen
    )
    params = (*([scope] * joins.count("list_contains")), scope)
    return query(
        warehouse,
        f"select {select} from marts.{name} as m{joins} where list_contains(?, m.region_code) limit {int(limit)}",
        params,
        access="scoped",
    )


def optional_count(warehouse: Warehouse, name: str, condition: str = "true") -> int | None:
    """Rows of an optional mart (None when it does not exist)."""
    if not table_exists(warehouse, "marts", name):
        return None
    return int(query(warehouse, f"select count(*) as n from marts.{name} where {condition}", access="aggregate")["n"].iloc[0])


def attribution_summary(warehouse: Warehouse) -> pd.DataFrame:
    """Patents and trademarks inside the pack by how their unit was found (kind, attribution_method,
    records, share, attributed = counted for a unit rather than UNATTRIBUTED)."""
    return query(
        warehouse,
        """
        with counted as (
            select 'patents' as kind, attribution_method, region_code <> 'UNATTRIBUTED' as attributed, count(*) as records
            from marts.patent_facts where region_code is not null group by all
            union all
            select 'trademarks', attribution_method, region_code <> 'UNATTRIBUTED', count(*)
            from marts.trademark_facts where region_code is not null group by all
        )
        select kind, coalesce(attribution_method, 'unknown') as attribution_method, attributed, records,
               100.0 * records / sum(records) over (partition by kind) as share
        from counted
        order by kind, records desc
        """,
        access="aggregate",
    )


# --- why a number moved (metric_change_decomposition, metric_change_events) ------------------------

# per-10k metrics drill to the records of the count they divide
CHANGE_RECORD_METRIC = {"invention_per_10k": "valid_invention_patents", "high_value_per_10k": "high_value_invention_patents"}


def change_metrics(warehouse: Warehouse) -> list[str]:
    """The metrics metric_change_decomposition explains (empty when the warehouse predates it)."""
    if not table_exists(warehouse, "marts", "metric_change_decomposition"):
        return []
    frame = query(warehouse, "select distinct metric_code from marts.metric_change_decomposition")
    return list(frame["metric_code"])


def change_decomposition(
    warehouse: Warehouse, period_end: date, region_code: str, metric_code: str, comparison: str
) -> pd.DataFrame:
    """The parts of one metric's change for a region (aggregates: every viewer may see them)."""
    return query(
        warehouse,
        "select start_period, start_value, end_value, change, part_code, part_name, part_order, value, records "
        "from marts.metric_change_decomposition "
        "where period_end = ? and region_code = ? and metric_code = ? and comparison = ? order by part_order",
        [period_end, region_code, metric_code, comparison],
    )


def change_records(
    warehouse: Warehouse,
    viewer: Viewer,
    metric_code: str,
    period_end: date,
    comparison: str,
    part_code: str,
    region: str | None = None,
) -> pd.DataFrame:
    """The records behind one part of a change, as far as this viewer may see them (record_scope)."""
    scope = record_scope(warehouse, viewer, region)
    start = exports.month_end(period_end.year - 1, 12) if comparison == "ytd" else exports.month_end(
        period_end.year - (period_end.month == 1), (period_end.month - 2) % 12 + 1)
    sql, params = bind(
        "select region_code, record_kind, record_key, record_name, holder, direction, cause, event_date "
        "from marts.metric_change_events "
        "where metric_code = :metric and cause = :part and list_contains(:regions, region_code) "
        "and event_month > :start and event_month <= :period "
        "and (case when delta > 0 then other_month is null or other_month > :period else other_month <= :start end) "
        "order by region_code, event_date, record_key",
        metric=CHANGE_RECORD_METRIC.get(metric_code, metric_code), part=part_code, regions=scope,
        start=start, period=period_end,
    )
    return query(warehouse, sql, params, access="scoped")
