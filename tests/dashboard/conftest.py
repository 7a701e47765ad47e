"""A small hand-made published warehouse for the dashboard tests.

Three month-ends (2024-12, 2025-05, 2025-06), the city 410900, three units and UNATTRIBUTED.
Valid invention patents (件), units + UNATTRIBUTED adding up to the city:

    period      华龙区  清丰县  工业园区  未归属  濮阳市
    2024-12-31    470     280      66       14     830
    2025-05-31    495     290      71       14     870
    2025-06-30    500     300      70       14     884

Population (2024 年末常住人口, used for every period): city 3,610,000 (361万), 华龙区 1,000,000,
清丰县 700,000, 工业园区 none. So invention_per_10k for the city is 830/361 = 2.30, 870/361 = 2.41,
884/361 = 2.45; 华龙区 in 2025-06 500/100 = 5.00, 清丰县 300/70 = 4.29.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import pytest

DEC, MAY, JUN = date(2024, 12, 31), date(2025, 5, 31), date(2025, 6, 30)
PERIODS = (DEC, MAY, JUN)
CITY = "410900"

REGIONS = pd.DataFrame(
    [
        (CITY, "濮阳市", "濮阳市", "city", None, False, 0),
        ("410902", "华龙区", "华龙区", "district", CITY, True, 1),
        ("410922", "清丰县", "清丰县", "county", CITY, True, 2),
        ("410971", "河南濮阳工业园区", "工业园区", "zone", CITY, True, 7),
        ("UNATTRIBUTED", "未归属", "未归属", "unattributed", CITY, False, 99),
    ],
    columns=["region_code", "region_name", "short_name", "level", "parent_code", "is_assessment_unit", "sort_order"],
)

# Valid invention patents per region and period (the table in the module docstring).
VALID_INVENTIONS = {
    "410902": {DEC: 470, MAY: 495, JUN: 500},
    "410922": {DEC: 280, MAY: 290, JUN: 300},
    "410971": {DEC: 66, MAY: 71, JUN: 70},
    "UNATTRIBUTED": {DEC: 14, MAY: 14, JUN: 14},
}

POPULATION = {  # region -> (persons, note)
    CITY: (3_610_000, None),
    "410902": (1_000_000, None),
    "410922": (700_000, None),
    "410971": (None, "功能区无常住人口统计"),
    "UNATTRIBUTED": (None, "未归属记录不计算万人指标"),
}

CATALOG = pd.DataFrame(
    [
        ("valid_invention_patents", "有效发明专利拥有量", "件", "授权且在有效期内的发明专利件数", "sum", True, True, "higher_better", False, 1),
        ("invention_per_10k", "万人有效发明专利拥有量", "件/万人", "有效发明专利拥有量 ÷ 常住人口（万人）", "ratio", False, True, "higher_better", False, 3),
        ("high_value_per_10k", "万人高价值发明专利拥有量", "件/万人", "高价值发明专利 ÷ 常住人口（万人）", "ratio", False, True, "higher_better", True, 5),
        ("valid_trademarks", "有效商标注册量", "件", "注册且未到期、未注销的商标", "sum", False, True, "higher_better", False, 10),
        ("above_scale_zero_invention", "无有效发明专利的规上工业企业", "家", "“清零”对象", "sum", True, True, "lower_better", False, 20),
    ],
    columns=["metric_code", "metric_name", "unit", "definition", "aggregation", "by_industry", "assessed", "direction", "is_assumption", "sort_order"],
)

# City values of the other carded metrics; high_value_per_10k is undefined (NULL) throughout.
CITY_VALUES = {
    "valid_trademarks": {DEC: 41_000, MAY: 42_100, JUN: 42_600},
    "above_scale_zero_invention": {DEC: 12, MAY: 5, JUN: 0},
    "high_value_per_10k": {DEC: None, MAY: None, JUN: None},
}

# 2025 targets, and each 2025 period's status worked out by hand on the linear path from 2024-12:
#   invention_per_10k 2.30 -> 3.6: path at May 2.84, June 2.95; actual 2.41 / 2.45 -> behind.
#   valid_trademarks 41,000 -> 43,000: path at May 41,833, June 42,000; actual 42,100 / 42,600 -> on_track.
#   above_scale_zero_invention 12 -> 0: path at May 7; actual 5 -> on_track; June 0 -> met.
#   high_value_per_10k: no value -> no_data.
TARGETS_2025 = {  # metric -> (comparator, target, {period: status})
    "invention_per_10k": (">=", 3.6, {MAY: "behind", JUN: "behind"}),
    "valid_trademarks": (">", 43_000.0, {MAY: "on_track", JUN: "on_track"}),
    "above_scale_zero_invention": ("<=", 0.0, {MAY: "on_track", JUN: "met"}),
    "high_value_per_10k": (">=", 1.3, {MAY: "no_data", JUN: "no_data"}),
}

LATER_TARGETS = {"invention_per_10k": {2026: 3.8, 2027: 3.9}}

LOAD_LOG = pd.DataFrame(
    [
        ("patents", "patents/专利_20250531.xlsx", "a" * 64, datetime(2025, 6, 1, 9, 0), 1000, 995, 5, "loaded", None),
        ("patents", "patents/专利_20250531.xlsx", "a" * 64, datetime(2025, 7, 2, 8, 30), 1000, 995, 5, "unchanged", None),
        ("patents", "patents/专利_20250630.xlsx", "b" * 64, datetime(2025, 7, 2, 8, 30), 1200, 1190, 10, "loaded", None),
        ("trademarks", "trademarks/商标_2025Q2.csv", "c" * 64, datetime(2025, 7, 2, 8, 31), 0, 0, 0, "rejected", "缺少关键列：注册号"),
    ],
    columns=["source", "file_name", "sha256", "loaded_at", "rows_read", "rows_loaded", "rows_quarantined", "status", "message"],
)


def _metric_rows(city_june_inventions: int) -> pd.DataFrame:
    inventions = {region: dict(values) for region, values in VALID_INVENTIONS.items()}
    # The city is the sum of its units and UNATTRIBUTED; a different June total goes to 华龙区.
    inventions["410902"][JUN] += city_june_inventions - 884
    inventions[CITY] = {p: sum(inventions[r][p] for r in VALID_INVENTIONS) for p in PERIODS}
    rows = []
    for region, by_period in inventions.items():
        persons = POPULATION[region][0]
        for period, count in by_period.items():
            rows.append((period, region, "ALL", "valid_invention_patents", float(count), float(count), None))
            per_10k = None if persons is None else count / (persons / 10_000)
            rows.append((period, region, "ALL", "invention_per_10k", per_10k, float(count),
                         None if persons is None else persons / 10_000))
    for metric, by_period in CITY_VALUES.items():
        for period, value in by_period.items():
            rows.append((period, CITY, "ALL", metric, None if value is None else float(value), None, None))
    return pd.DataFrame(
        rows, columns=["period_end", "region_code", "industry_code", "metric_code", "value", "numerator", "denominator"]
    )


def _target_rows(metric_values: pd.DataFrame) -> pd.DataFrame:
    city = metric_values[metric_values["region_code"] == CITY].set_index(["metric_code", "period_end"])["value"]
    rows = []
    for metric, (comparator, target, statuses) in TARGETS_2025.items():
        for period, status in statuses.items():
            actual = city.get((metric, period))
            actual = None if actual is None or pd.isna(actual) else float(actual)
            # gap in the metric's unit, positive while the target is not reached (as the mart has it)
            gap = None if actual is None else (actual - target if comparator == "<=" else target - actual)
            rows.append((2025, period, metric, comparator, target, actual, gap, status))
    # Target years without any period yet get one no_data row at their year-end.
    for year, target in LATER_TARGETS["invention_per_10k"].items():
        rows.append((year, date(year, 12, 31), "invention_per_10k", ">=", target, None, None, "no_data"))
    return pd.DataFrame(
        rows, columns=["year", "period_end", "metric_code", "comparator", "target", "actual", "gap", "status"]
    )


def _population_rows() -> pd.DataFrame:
    rows = [
        (period, region, None if persons is None else float(persons), None if persons is None else 2024,
         None if persons is None else "年末常住人口", note)
        for period in PERIODS
        for region, (persons, note) in POPULATION.items()
    ]
    return pd.DataFrame(rows, columns=["period_end", "region_code", "population", "population_year", "series", "note"])


def write_warehouse(path: Path, *, city_june_inventions: int = 884) -> Path:
    """Write the hand-made warehouse to ``path`` (which must not exist) and close it."""
    metric_values = _metric_rows(city_june_inventions)
    frames = {
        "metric_values": metric_values,
        "target_progress": _target_rows(metric_values),
        "metric_catalog": CATALOG,
        "regions": REGIONS,
        "population_used": _population_rows(),
        "load_log": LOAD_LOG,
        "build_info": pd.DataFrame(
            [(datetime(2025, 7, 2, 8, 35), "puyang", DEC, JUN, "{}")],
            columns=["built_at", "region_pack", "first_period", "last_period", "settings_json"],
        ),
    }
    con = duckdb.connect(str(path))
    try:
        for frame_name, frame in frames.items():
            con.register(f"{frame_name}_frame", frame)
        con.execute(
            """
            create schema marts;
            create schema audit;
            create table marts.metric_values as
              select period_end::date as period_end, region_code::varchar as region_code,
                     industry_code::varchar as industry_code, metric_code::varchar as metric_code,
                     value::double as value, numerator::double as numerator, denominator::double as denominator
              from metric_values_frame;
            create table marts.target_progress as
              select year::int as year, period_end::date as period_end, metric_code::varchar as metric_code,
                     comparator::varchar as comparator, target::double as target, actual::double as actual,
                     gap::double as gap, status::varchar as status
              from target_progress_frame;
            create table marts.metric_catalog as
              select metric_code::varchar as metric_code, metric_name::varchar as metric_name,
                     unit::varchar as unit, definition::varchar as definition,
                     aggregation::varchar as aggregation, by_industry::boolean as by_industry,
                     assessed::boolean as assessed, direction::varchar as direction,
                     is_assumption::boolean as is_assumption, sort_order::int as sort_order
              from metric_catalog_frame;
            create table marts.regions as
              select region_code::varchar as region_code, region_name::varchar as region_name,
                     short_name::varchar as short_name, level::varchar as level,
                     parent_code::varchar as parent_code, is_assessment_unit::boolean as is_assessment_unit,
                     sort_order::int as sort_order
              from regions_frame;
            create table marts.population_used as
              select period_end::date as period_end, region_code::varchar as region_code,
                     population::double as population, population_year::int as population_year,
                     series::varchar as series, note::varchar as note
              from population_used_frame;
            create table audit.load_log as
              select source::varchar as source, file_name::varchar as file_name, sha256::varchar as sha256,
                     loaded_at::timestamp as loaded_at, rows_read::bigint as rows_read,
                     rows_loaded::bigint as rows_loaded, rows_quarantined::bigint as rows_quarantined,
                     status::varchar as status, message::varchar as message
              from load_log_frame;
            create table audit.build_info as
              select built_at::timestamp as built_at, region_pack::varchar as region_pack,
                     first_period::date as first_period, last_period::date as last_period,
                     settings_json::varchar as settings_json
              from build_info_frame;
            """
        )
    finally:
        con.close()
    return path


def publish(path: Path, **kwargs: object) -> Path:
    """Publish like the pipeline does: build next to the target, then rename over it."""
    staging = path.with_name(path.name + ".new")
    if staging.exists():
        staging.unlink()
    write_warehouse(staging, **kwargs)
    os.replace(staging, path)
    return path


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A published hand-made warehouse, with IPWH_WAREHOUSE pointing at it."""
    path = tmp_path / "warehouse" / "ipwh.duckdb"
    path.parent.mkdir()
    publish(path)
    monkeypatch.setenv("IPWH_WAREHOUSE", str(path))
    return path


@pytest.fixture
def republish(warehouse: Path) -> Callable[..., Path]:
    """Publish a new version of the warehouse over the current one (keyword arguments of write_warehouse)."""

    def _republish(**kwargs: object) -> Path:
        return publish(warehouse, **kwargs)

    return _republish
