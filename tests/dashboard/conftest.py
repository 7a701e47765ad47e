"""A small hand-made published warehouse for the dashboard tests.

Four month-ends (2024-06, 2024-12, 2025-05, 2025-06), the city 410900 (the root), three units and
UNATTRIBUTED. Every number below is written by hand; the fact tables (patents, trademarks,
designations) are generated from hand-written cohorts so that the records behind each number add up
to it (``test_fixture_facts_add_up`` checks that the cohorts agree with the tables).

Valid invention patents (件), units + UNATTRIBUTED adding up to the city:

    period      华龙区  清丰县  工业园区  未归属  濮阳市
    2024-06-30    450     270      60       14     794
    2024-12-31    470     280      66       14     830
    2025-05-31    495     290      71       14     870
    2025-06-30    500     300      70       14     884

Population (常住人口, the same for every period): city 3,610,000 (361万), 华龙区 1,000,000,
清丰县 700,000, 工业园区 none. So invention_per_10k for the city is 794/361 = 2.20, 830/361 = 2.30,
870/361 = 2.41, 884/361 = 2.45; 华龙区 in 2025-06 500/100 = 5.00, 清丰县 300/70 = 4.29.
High-value invention patents: 120 / 60 / 20 / 2 = 202 at every period (city 202/361 = 0.56).

Enterprises (天干 names): E1 甲化工 (华龙区, key, high-tech, above-scale, 25 valid inventions now,
10 at the 2023-12-31 baseline, 3 trademarks), E2 乙装备制造 (清丰县, above-scale, one utility model),
E3 丙食品 (清丰县, above-scale, nothing), E4 丁新材料科技 (工业园区, high-tech, no invention),
E6 戊新能源 (华龙区, key, above-scale, 15 now / 20 at baseline), E7 己羽绒制品 (华龙区, above-scale,
2 trademarks), E8 壬家居 (华龙区, above-scale, first invention June 2025), E9 癸节能环保 (清丰县,
above-scale, first invention April 2025), E10 庚装备制造 (清丰县, key, above-scale, 10 / 10),
E11 辛信息技术 (清丰县, high-tech, no invention).
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import duckdb
import pandas as pd
import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: real-browser tests (headless Chromium)")


JUN24, DEC, MAY, JUN = date(2024, 6, 30), date(2024, 12, 31), date(2025, 5, 31), date(2025, 6, 30)
PERIODS = (JUN24, DEC, MAY, JUN)
CITY = "410900"
HL, QF, YQ, UN = "410902", "410922", "410971", "UNATTRIBUTED"
REGION_CODES = (CITY, HL, QF, YQ, UN)

REGIONS = pd.DataFrame(
    [
        (CITY, "濮阳市", "濮阳市", "city", None, False, 0, True),
        (HL, "华龙区", "华龙区", "district", CITY, True, 1, False),
        (QF, "清丰县", "清丰县", "county", CITY, True, 2, False),
        (YQ, "河南濮阳工业园区", "工业园区", "zone", CITY, True, 7, False),
        (UN, "未归属", "未归属", "unattributed", CITY, False, 99, False),
    ],
    columns=["region_code", "region_name", "short_name", "level", "parent_code", "is_assessment_unit", "sort_order", "is_root"],
)

POPULATION = {  # region -> (persons, note)
    CITY: (3_610_000, None),
    HL: (1_000_000, None),
    QF: (700_000, None),
    YQ: (None, "功能区无常住人口统计"),
    UN: (None, "未归属记录不计算万人指标"),
}

# metric_code, name, unit, definition, aggregation, period_kind, by_industry, assessed, direction, is_assumption, sort_order
CATALOG = pd.DataFrame(
    [
        ("valid_invention_patents", "有效发明专利拥有量", "件", "授权且在有效期内的发明专利件数", "additive", "stock", True, False, "higher_better", False, 1),
        ("valid_invention_patents_growth", "有效发明专利年增长率", "%", "相对上年同月末的增长百分比", "ratio", "ratio", True, True, "higher_better", False, 2),
        ("invention_per_10k", "万人有效发明专利拥有量", "件/万人", "有效发明专利拥有量 ÷ 常住人口（万人）", "ratio", "ratio", False, True, "higher_better", False, 3),
        ("high_value_invention_patents", "高价值发明专利拥有量", "件", "满足五类高价值条件之一的有效发明专利", "additive", "stock", True, False, "higher_better", True, 4),
        ("high_value_per_10k", "万人高价值发明专利拥有量", "件/万人", "高价值发明专利 ÷ 常住人口（万人）", "ratio", "ratio", False, True, "higher_better", True, 5),
        ("invention_grants", "发明专利授权量", "件", "当年1月1日至期末授权的发明专利", "additive", "flow", True, False, "higher_better", False, 11),
        ("valid_trademarks", "有效商标注册量", "件", "注册且未到期、未注销的商标", "additive", "stock", False, True, "higher_better", True, 12),
        ("overseas_applications", "海外专利、商标申请量", "件", "当年PCT、马德里及直接向国外的申请", "additive", "flow", False, True, "higher_better", False, 13),
        ("hightech_enterprises", "高新技术企业数", "家", "持有有效高企证书的企业", "additive", "stock", True, True, "higher_better", False, 16),
        ("above_scale_enterprises", "规上工业企业数", "家", "本期规上工业企业名录中的企业", "additive", "stock", True, False, "higher_better", False, 24),
        ("above_scale_zero_invention", "无有效发明专利的规上工业企业（“清零”对象）", "家", "规上企业中不持有有效发明专利的企业", "additive", "stock", True, True, "lower_better", False, 25),
        ("key_enterprise_doubling_ratio", "重点企业发明专利倍增进度", "倍", "重点企业有效发明专利 ÷ 基准日件数", "ratio", "ratio", True, True, "higher_better", True, 29),
        ("fee_warning_patents", "年费预警发明专利", "件", "年费90天内到期或处于滞纳期的有效发明专利", "additive", "stock", True, False, "lower_better", True, 33),
        ("lapsed_unpaid_fee", "因未缴年费失效的发明专利", "件", "当年因未缴年费失效的发明专利", "additive", "flow", True, False, "lower_better", False, 34),
    ],
    columns=["metric_code", "metric_name", "unit", "definition", "aggregation", "period_kind", "by_industry", "assessed",
             "direction", "is_assumption", "sort_order"],
)

# Hand tables: metric -> region -> values at (JUN24, DEC, MAY, JUN). None = undefined (NULL).
_N = None
COUNTS: dict[str, dict[str, tuple]] = {
    "valid_invention_patents": {
        HL: (450, 470, 495, 500), QF: (270, 280, 290, 300), YQ: (60, 66, 71, 70), UN: (14, 14, 14, 14),
        CITY: (794, 830, 870, 884),
    },
    "high_value_invention_patents": {
        HL: (120,) * 4, QF: (60,) * 4, YQ: (20,) * 4, UN: (2,) * 4, CITY: (202,) * 4,
    },
    "invention_grants": {
        HL: (0, 20, 25, 30), QF: (0, 10, 10, 20), YQ: (0, 6, 5, 5), UN: (0, 0, 0, 0), CITY: (0, 36, 40, 55),
    },
    "lapsed_unpaid_fee": {
        HL: (5, 5, 0, 0), QF: (0, 0, 0, 0), YQ: (0, 0, 0, 1), UN: (0, 0, 0, 0), CITY: (5, 5, 0, 1),
    },
    "valid_trademarks": {
        HL: (20_000, 20_200, 20_800, 21_000), QF: (12_000, 12_300, 12_600, 12_800), YQ: (4_000, 4_000, 4_200, 4_300),
        UN: (4_500,) * 4, CITY: (40_500, 41_000, 42_100, 42_600),
    },
    "overseas_applications": {
        HL: (5, 9, 6, 8), QF: (4, 6, 2, 3), YQ: (0, 1, 1, 1), UN: (0, 0, 0, 0), CITY: (9, 16, 9, 12),
    },
    "hightech_enterprises": {
        HL: (80, 86, 96, 100), QF: (42, 44, 48, 50), YQ: (28, 30, 34, 35), UN: (0,) * 4, CITY: (150, 160, 178, 185),
    },
    "above_scale_enterprises": {HL: (4,) * 4, QF: (4,) * 4, YQ: (0,) * 4, UN: (0,) * 4, CITY: (8,) * 4},
    "above_scale_zero_invention": {
        HL: (2, 2, 2, 1), QF: (3, 3, 2, 2), YQ: (0, 0, 0, 0), UN: (0, 0, 0, 0), CITY: (5, 5, 4, 3),
    },
    "key_enterprise_doubling_ratio": {
        HL: (25 / 30, 25 / 30, 40 / 30, 40 / 30), QF: (1.0,) * 4, YQ: (_N,) * 4, UN: (_N,) * 4,
        CITY: (35 / 40, 35 / 40, 50 / 40, 50 / 40),
    },
    "fee_warning_patents": {HL: (0, 0, 0, 2), QF: (0, 0, 0, 1), YQ: (0, 0, 0, 1), UN: (0,) * 4, CITY: (0, 0, 0, 4)},
}
# growth against the same month a year earlier: only June 2025 has one (2024-06 is the first period)
GROWTH_JUN = {
    HL: (500 / 450 - 1) * 100, QF: (300 / 270 - 1) * 100, YQ: (70 / 60 - 1) * 100, UN: 0.0, CITY: (884 / 794 - 1) * 100,
}

# 2025 targets with each 2025 period's expected_by_now and status, worked out by hand on the linear
# path from the 2024-12 value (0 for year-to-date metrics):
#   invention_per_10k 2.2992 -> 3.6: May 2.8412, June 2.9496; actual 2.4100 / 2.4488 -> behind.
#   high_value_per_10k 0.5596 -> 1.3: May 0.8681, June 0.9298; actual 0.5596 -> behind.
#   valid_invention_patents_growth: no 2024-12 value, so no path; May no value -> no_data; June 11.34 -> behind.
#   valid_trademarks 41,000 -> 43,000: May 41,833.33, June 42,000; actual 42,100 / 42,600 -> on_track.
#   overseas_applications 0 -> 20 (flow): May 8.33, June 10; actual 9 / 12 -> on_track.
#   hightech_enterprises 160 -> 180: May 168.33 (178 on_track); June 185 -> met.
#   above_scale_zero_invention 5 -> 0: May 2.9167 (4 behind); June 2.5 (3 behind).
TARGETS_2025 = {  # metric -> (comparator, target, {period: (expected_by_now, status)})
    "invention_per_10k": (">=", 3.6, {MAY: (830 / 361 + (3.6 - 830 / 361) * 5 / 12, "behind"),
                                       JUN: (830 / 361 + (3.6 - 830 / 361) * 6 / 12, "behind")}),
    "high_value_per_10k": (">=", 1.3, {MAY: (202 / 361 + (1.3 - 202 / 361) * 5 / 12, "behind"),
                                        JUN: (202 / 361 + (1.3 - 202 / 361) * 6 / 12, "behind")}),
    "valid_invention_patents_growth": (">=", 15.0, {MAY: (None, "no_data"), JUN: (None, "behind")}),
    "valid_trademarks": (">", 43_000.0, {MAY: (41_000 + 2_000 * 5 / 12, "on_track"), JUN: (42_000.0, "on_track")}),
    "overseas_applications": (">=", 20.0, {MAY: (20 * 5 / 12, "on_track"), JUN: (10.0, "on_track")}),
    "hightech_enterprises": (">=", 180.0, {MAY: (160 + 20 * 5 / 12, "on_track"), JUN: (170.0, "met")}),
    "above_scale_zero_invention": ("<=", 0.0, {MAY: (5 - 5 * 5 / 12, "behind"), JUN: (2.5, "behind")}),
}
LATER_TARGETS = {  # metric -> {year: (comparator, target)}; no period yet -> one no_data row at year-end
    "invention_per_10k": {2026: (">=", 3.8), 2027: (">=", 3.9)},
    "high_value_per_10k": {2026: (">=", 1.4), 2027: (">=", 1.5)},
    "key_enterprise_doubling_ratio": {2027: (">=", 2.0)},
}

LOAD_LOG = pd.DataFrame(
    [
        ("patents", "patents/专利_20250531.xlsx", "a" * 64, datetime(2025, 6, 1, 9, 0), 1000, 995, 5, "loaded", None),
        ("patents", "patents/专利_20250531.xlsx", "a" * 64, datetime(2025, 7, 2, 8, 30), 1000, 995, 5, "unchanged", None),
        ("patents", "patents/专利_20250630.xlsx", "b" * 64, datetime(2025, 7, 2, 8, 30), 1200, 1190, 10, "loaded", None),
        ("trademarks", "trademarks/商标_2025Q2.csv", "c" * 64, datetime(2025, 7, 2, 8, 31), 0, 0, 0, "rejected", "缺少关键列：注册号"),
    ],
    columns=["source", "file_name", "sha256", "loaded_at", "rows_read", "rows_loaded", "rows_quarantined", "status", "message"],
)

# marts.data_quality_sources, by hand from LOAD_LOG: patents has two files on record (the May file's
# latest entry is "unchanged"), 995 + 1,190 = 2,185 rows loaded from them; the June export supersedes
# 955 of the May file's 995 applications, so 2,185 - 955 = 1,230 applications are in use. The newest
# export by as-of date is the June file (loaded at the same time as the May file's "unchanged" entry).
# trademarks: its only file was rejected, so nothing is in use and there is no newest file.
DATA_QUALITY_SOURCES = pd.DataFrame(
    [
        ("patents", datetime(2025, 7, 2, 8, 30), 2, 0, 2185, 1230, "patents/专利_20250630.xlsx", date(2025, 6, 30)),
        ("trademarks", datetime(2025, 7, 2, 8, 31), 1, 1, 0, 0, None, None),
    ],
    columns=["source", "last_loaded_at", "files", "rejected_files", "rows_loaded_all_files", "rows_in_use", "newest_file",
             "newest_as_of"],
)

# 5 + 10 quarantined rows of the two patent files: application_no_check_digit 3 + 4 = 7, invalid_date 2, missing_key 6.
QUARANTINE = pd.DataFrame(
    [("patents", "patents/专利_20250531.xlsx", n, "application_no", f"20211635235{n}", "application_no_check_digit", "申请号校验位不符")
     for n in (3, 17, 240)]
    + [("patents", "patents/专利_20250531.xlsx", n, "grant_date", "2023-13-45", "invalid_date", "授权日无法识别为日期")
       for n in (51, 52)]
    + [("patents", "patents/专利_20250630.xlsx", n, "application_no", "=cmd|' /C calc'!A0" if n == 8 else f"CN2022{n}",
        "application_no_check_digit", "申请号校验位不符") for n in (8, 9, 10, 11)]
    + [("patents", "patents/专利_20250630.xlsx", n, "application_no", None, "missing_key", "缺少申请号")
       for n in (100, 101, 102, 103, 104, 105)],
    columns=["source", "file_name", "row_number", "column_name", "raw_value", "rule", "message"],
)
FLAGS = pd.DataFrame(
    [
        ("patents", "patents/专利_20250630.xlsx", 12, "patentee_uscc", "91410900MA00000000", "uscc_check_digit", "信用代码校验位不符（早期试点代码可能合法）"),
        ("patents", "patents/专利_20250630.xlsx", 13, "patentee_uscc", "91410900MA00000001", "uscc_check_digit", "信用代码校验位不符（早期试点代码可能合法）"),
        ("trademarks", "trademarks/商标_2025Q1.csv", 7, "status", "已失效", "lapsed_without_date", "状态为失效但缺少注销日期"),
    ],
    columns=["source", "file_name", "row_number", "column_name", "raw_value", "rule", "message"],
)

SETTINGS = pd.DataFrame(
    [
        ("doubling_baseline_date", "2023-12-31", "2023-12-31", False, "日期", "【假设】重点企业发明专利倍增的基准日", "metrics.md default"),
        ("fee_warning_window_days", "90", "90", False, "天", "【项目设定】年费预警窗口", "metrics.md default"),
        ("high_value_pledge_threshold_wan", "500", "1000", True, "万元", "【假设】高价值第④类质押金额门槛", "UNCONFIRMED"),
    ],
    columns=["setting_name", "value", "default_value", "is_overridden", "unit", "description_zh", "source"],
)

# --- enterprises -----------------------------------------------------------------------------------

ENTERPRISES = pd.DataFrame(
    [
        ("E1", "91410900E00000001A", "甲化工有限公司", HL, "chemicals", "2614"),
        ("E2", "91410900E00000002A", "乙装备制造有限公司", QF, "equipment", "3511"),
        ("E3", "91410900E00000003A", "丙食品有限公司", QF, "food", "1391"),
        ("E4", "91410900E00000004A", "丁新材料科技有限公司", YQ, "new_materials", "2651"),
        ("E6", "91410900E00000006A", "戊新能源有限公司", HL, "new_energy", "4415"),
        ("E7", "91410900E00000007A", "己羽绒制品有限公司", HL, "down_products", "1942"),
        ("E8", "91410900E00000008A", "壬家居有限公司", HL, "home_furnishing", "2110"),
        ("E9", "91410900E00000009A", "癸节能环保有限公司", QF, "energy_saving_env", "3591"),
        ("E10", "91410900E00000010A", "庚装备制造有限公司", QF, "equipment", "3512"),
        ("E11", "91410900E00000011A", "辛信息技术有限公司", QF, "next_gen_it", "3911"),
    ],
    columns=["enterprise_id", "uscc", "enterprise", "region_code", "industry_code", "gb_industry_code"],
)
NAMES = dict(zip(ENTERPRISES["enterprise_id"], ENTERPRISES["enterprise"]))

# Named designations (enterprise_id, kind, level, source_key, valid_from, valid_until).
ABOVE_SCALE = ("E1", "E2", "E3", "E6", "E7", "E8", "E9", "E10")
KEY_FIRMS = ("E1", "E6", "E10")
DESIGNATIONS = pd.DataFrame(
    [
        ("E1", "hightech", "hightech", "GR202341000001", date(2023, 11, 1), date(2026, 11, 1)),
        ("E11", "hightech", "hightech", "GR202341000011", date(2023, 11, 1), date(2026, 11, 1)),
        ("E4", "hightech", "hightech", "GR202341000004", date(2023, 11, 1), date(2026, 11, 1)),
        ("E1", "ip_advantage", "municipal_advantage", "E1|municipal_advantage|2024", date(2024, 1, 1), None),
    ]
    + [(firm, "above_scale", f"roster_{year}", str(year), date(year, 1, 1), date(year + 1, 1, 1))
       for firm in ABOVE_SCALE for year in (2024, 2025)]
    + [(firm, "key_enterprise", f"roster_{year}", str(year), date(year, 1, 1), date(year + 1, 1, 1))
       for firm in KEY_FIRMS for year in (2024, 2025)],
    columns=["enterprise_id", "kind", "level", "source_key", "valid_from", "valid_until"],
)
# Synthetic high-tech firms (region, count, issue date, industry), with the named E1/E11/E4 above:
#   华龙区 1 + 79 (2023-11-01) + 6 (2024-11-15) + 10 (2025-04-01) + 4 (2025-06-05) = 80 / 86 / 96 / 100
#   清丰县 1 + 41 + 2 + 4 + 2 = 42 / 44 / 48 / 50;  工业园区 1 + 27 + 2 + 4 + 1 = 28 / 30 / 34 / 35
# and one firm whose certificate ran out on 2024-01-01 (counted nowhere).
HIGHTECH_COHORTS = [
    (HL, 79, date(2023, 11, 1), "equipment"), (HL, 6, date(2024, 11, 15), "equipment"),
    (HL, 10, date(2025, 4, 1), "equipment"), (HL, 4, date(2025, 6, 5), "equipment"),
    (QF, 41, date(2023, 11, 1), "food"), (QF, 2, date(2024, 11, 15), "food"),
    (QF, 4, date(2025, 4, 1), "food"), (QF, 2, date(2025, 6, 5), "food"),
    (YQ, 27, date(2023, 11, 1), "new_materials"), (YQ, 2, date(2024, 11, 15), "new_materials"),
    (YQ, 4, date(2025, 4, 1), "new_materials"), (YQ, 1, date(2025, 6, 5), "new_materials"),
    (HL, 1, date(2021, 1, 1), "equipment"),
]

# --- patents ---------------------------------------------------------------------------------------
# (prefix, region, count, application_date, grant_date, valid_until, first patentee, industries,
#  high-value, patent_type, lapse_reason). The co-patentee 濮阳市科研院 is on E1's patents.
PATENT_COHORTS = [
    ("HL-E1-OLD-", HL, 10, date(2018, 3, 1), date(2020, 5, 20), None, "E1", ["chemicals"], True, "invention", None),
    ("HL-E6-OLD-", HL, 15, date(2017, 1, 10), date(2019, 8, 1), None, "E6", ["new_energy"], False, "invention", None),
    ("HL-E6-LAPSED-", HL, 5, date(2017, 1, 10), date(2019, 8, 1), date(2024, 3, 1), "E6", ["new_energy"], False, "invention", "unpaid_fee"),
    ("HL-HV-", HL, 110, date(2019, 2, 1), date(2021, 1, 15), None, "华龙区某科技公司", ["new_materials"], True, "invention", None),
    ("HL-OLD-", HL, 315, date(2019, 2, 1), date(2021, 1, 15), None, "华龙区某机械公司", ["equipment"], False, "invention", None),
    ("HL-2024-", HL, 20, date(2022, 5, 1), date(2024, 9, 15), None, "华龙区某机械公司", ["equipment"], False, "invention", None),
    ("HL-E1-2025-", HL, 15, date(2023, 3, 1), date(2025, 3, 15), None, "E1", ["chemicals"], False, "invention", None),
    ("HL-MAR-", HL, 10, date(2023, 3, 1), date(2025, 3, 15), None, "华龙区某信息公司", ["next_gen_it"], False, "invention", None),
    ("HL-E8-", HL, 1, date(2023, 6, 1), date(2025, 6, 10), None, "E8", ["next_gen_it"], False, "invention", None),
    ("HL-JUN-", HL, 4, date(2023, 6, 1), date(2025, 6, 10), None, "华龙区某信息公司", ["next_gen_it"], False, "invention", None),
    ("HL-PENDING-", HL, 2, date(2024, 8, 1), None, None, "E1", ["chemicals"], False, "invention", None),
    ("QF-E10-", QF, 10, date(2018, 4, 1), date(2020, 7, 1), None, "E10", ["equipment"], False, "invention", None),
    ("QF-HV-", QF, 60, date(2018, 4, 1), date(2020, 7, 1), None, "清丰县某化工公司", ["chemicals"], True, "invention", None),
    ("QF-OLD-", QF, 200, date(2018, 4, 1), date(2020, 7, 1), None, "清丰县某食品公司", ["food"], False, "invention", None),
    ("QF-2024-", QF, 10, date(2022, 4, 1), date(2024, 9, 15), None, "清丰县某食品公司", ["food"], False, "invention", None),
    ("QF-E9-", QF, 1, date(2023, 4, 1), date(2025, 4, 20), None, "E9", ["chemicals"], False, "invention", None),
    ("QF-APR-", QF, 9, date(2023, 4, 1), date(2025, 4, 20), None, "清丰县某化工公司", ["chemicals"], False, "invention", None),
    ("QF-JUN-", QF, 10, date(2023, 6, 1), date(2025, 6, 20), None, "清丰县某食品公司", ["food"], False, "invention", None),
    ("QF-E2-UM-", QF, 1, date(2023, 6, 1), date(2024, 1, 20), None, "E2", ["equipment"], False, "utility_model", None),
    ("YQ-HV-", YQ, 20, date(2019, 9, 1), date(2021, 9, 1), None, "园区某能源公司", ["new_energy", "new_materials"], True, "invention", None),
    ("YQ-OLD-", YQ, 39, date(2019, 9, 1), date(2021, 9, 1), None, "园区某公司", [], False, "invention", None),
    ("YQ-LAPSE-", YQ, 1, date(2019, 9, 1), date(2021, 9, 1), date(2025, 6, 15), "园区某化工公司", ["chemicals"], False, "invention", "unpaid_fee"),
    ("YQ-2024-", YQ, 6, date(2022, 9, 1), date(2024, 9, 15), None, "园区某能源公司", ["new_energy"], False, "invention", None),
    ("YQ-FEB-", YQ, 5, date(2023, 2, 1), date(2025, 2, 10), None, "园区某能源公司", ["new_energy"], False, "invention", None),
    ("UN-", UN, 12, date(2018, 1, 1), date(2020, 1, 1), None, "某研究所", [], False, "invention", None),
    ("UN-HV-", UN, 2, date(2018, 1, 1), date(2020, 1, 1), None, "某研究所", ["new_materials"], True, "invention", None),
    ("OUT-", None, 3, date(2018, 1, 1), date(2020, 1, 1), None, "外地某公司", ["chemicals"], False, "invention", None),
]

# Trademarks: (region, count, valid_from, valid_until) cohorts; E1 holds the first three of 华龙区's base.
TRADEMARK_COHORTS = [
    (HL, 20_000, date(2015, 1, 1), None), (HL, 200, date(2024, 9, 1), None), (HL, 600, date(2025, 3, 1), None),
    (HL, 200, date(2025, 6, 15), None),
    (QF, 12_000, date(2015, 1, 1), None), (QF, 300, date(2024, 9, 1), None), (QF, 300, date(2025, 3, 1), None),
    (QF, 200, date(2025, 6, 15), None),
    (YQ, 4_000, date(2015, 1, 1), None), (YQ, 200, date(2025, 3, 1), None), (YQ, 100, date(2025, 6, 15), None),
    (UN, 4_500, date(2015, 1, 1), None),
] + [(region, 50, date(2012, 1, 1), date(2024, 1, 1)) for region in (HL, QF, YQ, UN)]

# Action-list marts (hand-made): 清零 lists per period.
ZERO_LISTS = {
    JUN24: ("E7", "E8", "E2", "E3", "E9"),
    DEC: ("E7", "E8", "E2", "E3", "E9"),
    MAY: ("E7", "E8", "E2", "E3"),
    JUN: ("E7", "E2", "E3"),
}
ZERO_HOLDINGS = {"E2": (1, 0), "E3": (0, 0), "E7": (0, 2), "E8": (0, 0), "E9": (0, 0)}  # (valid patents any type, trademarks)
KEY_PROGRESS = {  # period -> enterprise -> (baseline, current)
    MAY: {"E1": (10, 25), "E6": (20, 15), "E10": (10, 10)},
    JUN: {"E1": (10, 25), "E6": (20, 15), "E10": (10, 10)},
}
HIGHTECH_WITHOUT = {JUN: ("E4", "E11")}
FEE_WARNINGS = pd.DataFrame(
    [
        (JUN, "HL-E1-OLD-0001", "甲化工专利1", "甲化工有限公司", "91410900E00000001A", HL, date(2025, 8, 1), 1200.0, 0.0, "due_soon"),
        (JUN, "HL-E1-OLD-0002", "甲化工专利2", "甲化工有限公司", "91410900E00000001A", HL, date(2025, 4, 10), 900.0, 90.0, "grace"),
        (JUN, "QF-E10-0001", "庚装备专利1", "庚装备制造有限公司", "91410900E00000010A", QF, date(2025, 1, 5), 2000.0, 500.0, "lapse_risk"),
        (JUN, "YQ-OLD-0001", "园区专利1", "园区某公司", None, YQ, date(2025, 9, 1), 900.0, 0.0, "due_soon"),
        (JUN, "HL-E6-OLD-0001", "戊新能源专利1", "戊新能源有限公司", "91410900E00000006A", HL, date(2025, 7, 20), 1200.0, 0.0, "unknown"),
    ],
    columns=["period_end", "application_no", "title", "patentee", "uscc", "region_code", "due_date", "fee_yuan", "surcharge_yuan", "state"],
)


# --- building the tables -----------------------------------------------------------------------------


def _metric_rows(city_june_inventions: int) -> pd.DataFrame:
    counts = {metric: {region: list(values) for region, values in by_region.items()} for metric, by_region in COUNTS.items()}
    # A different June city total goes to 华龙区 (units still add up to the city).
    extra = city_june_inventions - 884
    counts["valid_invention_patents"][HL][3] += extra
    counts["valid_invention_patents"][CITY][3] += extra
    rows = []
    for metric, by_region in counts.items():
        for region, values in by_region.items():
            for period, value in zip(PERIODS, values):
                value = None if value is None else float(value)
                rows.append((period, region, "ALL", metric, value, value if metric != "key_enterprise_doubling_ratio" else None, None))
    for count_metric, ratio_metric in (("valid_invention_patents", "invention_per_10k"), ("high_value_invention_patents", "high_value_per_10k")):
        for region, values in counts[count_metric].items():
            persons = POPULATION[region][0]
            for period, count in zip(PERIODS, values):
                wan = None if persons is None else persons / 10_000
                rows.append((period, region, "ALL", ratio_metric, None if wan is None else count / wan, float(count), wan))
    for region in REGION_CODES:
        for period in PERIODS:
            growth = GROWTH_JUN[region] if period == JUN else None
            rows.append((period, region, "ALL", "valid_invention_patents_growth", growth, None, None))
    return pd.DataFrame(rows, columns=["period_end", "region_code", "industry_code", "metric_code", "value", "numerator", "denominator"])


def _target_rows(metric_values: pd.DataFrame) -> pd.DataFrame:
    city = metric_values[(metric_values["region_code"] == CITY) & (metric_values["industry_code"] == "ALL")]
    city = city.set_index(["metric_code", "period_end"])["value"]
    rows = []
    for metric, (comparator, target, by_period) in TARGETS_2025.items():
        for period, (expected, status) in by_period.items():
            actual = city.get((metric, period))
            actual = None if actual is None or pd.isna(actual) else float(actual)
            gap = None if actual is None else (actual - target if comparator == "<=" else target - actual)
            rows.append((2025, period, metric, comparator, target, actual, gap, status, expected))
    for metric, by_year in LATER_TARGETS.items():
        for year, (comparator, target) in by_year.items():
            rows.append((year, date(year, 12, 31), metric, comparator, target, None, None, "no_data", None))
    return pd.DataFrame(rows, columns=["year", "period_end", "metric_code", "comparator", "target", "actual", "gap", "status", "expected_by_now"])


def _population_rows() -> pd.DataFrame:
    rows = [
        (period, region, None if persons is None else float(persons),
         None if persons is None else period.year - 1, None if persons is None else "年末常住人口", note)
        for period in PERIODS
        for region, (persons, note) in POPULATION.items()
    ]
    return pd.DataFrame(rows, columns=["period_end", "region_code", "population", "population_year", "series", "note"])


def _county_assessment(metric_values: pd.DataFrame, unit_names: dict[str, str]) -> pd.DataFrame:
    """Units' values of the assessed metrics with ranks (1 = best; no value ranks last), as the mart has them."""
    assessed = CATALOG[CATALOG["assessed"]]
    units = REGIONS[REGIONS["is_assessment_unit"]]
    values = metric_values[(metric_values["industry_code"] == "ALL") & metric_values["region_code"].isin(units["region_code"])]
    rows = []
    for period in PERIODS:
        for region in units["region_code"]:
            row = {"period_end": period, "region_code": region, "region_name": unit_names[region]}
            for metric, direction in zip(assessed["metric_code"], assessed["direction"]):
                part = values[(values["period_end"] == period) & (values["metric_code"] == metric)].set_index("region_code")["value"]
                ranked = part.rank(method="min", ascending=direction == "lower_better", na_option="bottom")
                row[metric] = part.get(region)
                row[f"{metric}_rank"] = int(ranked.get(region))
            rows.append(row)
    return pd.DataFrame(rows)


def _enterprise_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    firms = [ENTERPRISES]
    designations = [DESIGNATIONS]
    for index, (region, count, issued, industry) in enumerate(HIGHTECH_COHORTS):
        ids = [f"HT{index:02d}-{n:03d}" for n in range(1, count + 1)]
        short = REGIONS.set_index("region_code").at[region, "short_name"]
        firms.append(pd.DataFrame({
            "enterprise_id": ids, "uscc": [f"91410900HT{index:02d}{n:05d}X" for n in range(1, count + 1)],
            "enterprise": [f"{short}高新企业{index:02d}-{n:03d}" for n in range(1, count + 1)],
            "region_code": region, "industry_code": industry, "gb_industry_code": None,
        }))
        designations.append(pd.DataFrame({
            "enterprise_id": ids, "kind": "hightech", "level": "hightech",
            "source_key": [f"GR{issued.year}41{index:02d}{n:04d}" for n in range(1, count + 1)],
            "valid_from": issued, "valid_until": date(issued.year + 3, issued.month, issued.day),
        }))
    return pd.concat(firms, ignore_index=True), pd.concat(designations, ignore_index=True)


def _patent_frame() -> pd.DataFrame:
    frames = []
    for prefix, region, count, applied, granted, until, holder, industries, high_value, kind, reason in PATENT_COHORTS:
        first = NAMES.get(holder, holder)
        patentees = f"{first};濮阳市科研院" if holder == "E1" else first
        frames.append(pd.DataFrame({
            "application_no": [f"{prefix}{n:04d}" for n in range(1, count + 1)],
            "title": [f"{first}的专利{n}" for n in range(1, count + 1)],
            "patent_type": kind, "application_date": applied, "grant_date": granted,
            "first_patentee": first, "patentees": patentees, "region_code": region,
            "attribution_method": "in_pack_no_unit" if region == UN else ("outside_pack" if region is None else "enterprise_master"),
            "industries": [list(industries)] * count,
            "valid_from": granted, "valid_until": until, "is_invention": kind == "invention",
            "hv_from": granted if high_value else None,
            "hv_strategic_emerging": high_value, "hv_overseas_family": False,
            "strategic_rules": [["3.6-01"] if high_value else []] * count,
            "strategic_later_edition_readings": [[]] * count,
            "hv_maintained_from": None, "hv_pledge_from": None, "hv_award_from": None,
            "legal_status": "无权-未缴年费" if reason else ("审中" if granted is None else "有权"),
            "lapse_date": until if reason else None, "lapse_reason": reason,
        }))
    return pd.concat(frames, ignore_index=True)


def _holdings_frame(patents: pd.DataFrame) -> pd.DataFrame:
    """marts.patent_holdings: every patentee of every patent, matched to a named enterprise (else N:<name>)."""
    ids = {name: firm for firm, name in NAMES.items()}
    rows = [
        (number, ids.get(holder, f"N:{holder}"), None, holder, position, position == 1,
         "credit_code" if holder in ids else "name_only")
        for number, patentees in zip(patents["application_no"], patents["patentees"])
        for position, holder in enumerate(patentees.split(";"), start=1)
    ]
    return pd.DataFrame(rows, columns=["application_no", "enterprise_id", "uscc", "holder_name", "position", "is_first", "match_method"])


def _metric_record_frame(patents: pd.DataFrame, trademarks: pd.DataFrame, firms: pd.DataFrame,
                         designations: pd.DataFrame) -> pd.DataFrame:
    """marts.metric_records as dbt's int_metric_records / int_metric_enterprise_records would write it for
    these facts (in-pack records only; the firms' designation windows do not overlap)."""
    rows = []
    place = firms.set_index("enterprise_id")
    for kind, metric in (("hightech", "hightech_enterprises"), ("above_scale", "above_scale_enterprises")):
        for d in designations[designations["kind"] == kind].itertuples():
            if d.enterprise_id in place.index:
                industry = place.at[d.enterprise_id, "industry_code"]
                rows.append((metric, "enterprise", d.enterprise_id, place.at[d.enterprise_id, "region_code"],
                             [] if pd.isna(industry) else [industry], d.valid_from, d.valid_until))
    for p in patents[patents["region_code"].notna()].itertuples():
        industries = list(p.industries)
        if p.is_invention and not pd.isna(p.valid_from) and (pd.isna(p.valid_until) or p.valid_until > p.valid_from):
            rows.append(("valid_invention_patents", "patent", p.application_no, p.region_code, industries, p.valid_from, p.valid_until))
        if not pd.isna(p.hv_from):
            for metric in ("high_value_invention_patents", "hv_strategic_emerging"):
                rows.append((metric, "patent", p.application_no, p.region_code, industries, p.hv_from, p.valid_until))
        if p.is_invention and not pd.isna(p.grant_date):
            rows.append(("invention_grants", "patent", p.application_no, p.region_code, industries, p.grant_date,
                         date(p.grant_date.year + 1, 1, 1)))
            if p.lapse_reason == "unpaid_fee":
                rows.append(("lapsed_unpaid_fee", "patent", p.application_no, p.region_code, industries, p.lapse_date,
                             date(p.lapse_date.year + 1, 1, 1)))
    for t in trademarks[trademarks["region_code"].notna() & trademarks["valid_from"].notna()].itertuples():
        rows.append(("valid_trademarks", "trademark", f"{t.reg_no}/{t.nice_class}", t.region_code, [], t.valid_from, t.valid_until))
    return pd.DataFrame(rows, columns=["metric_code", "record_kind", "record_key", "region_code", "industries",
                                       "counted_from", "counted_until"])


def _trademark_frame() -> pd.DataFrame:
    frames = []
    for index, (region, count, since, until) in enumerate(TRADEMARK_COHORTS):
        frames.append(pd.DataFrame({
            "reg_no": [f"TM{index:02d}{n:06d}" for n in range(1, count + 1)], "nice_class": 1 + index % 45,
            "name": [f"商标{index:02d}-{n}" for n in range(1, count + 1)], "registrant": f"{region}某公司",
            "enterprise_id": None, "region_code": region,
            "attribution_method": "in_pack_no_unit" if region == UN else "address",
            "valid_from": since, "valid_until": until,
            "status": "已注册" if until is None else "已失效", "term_end": date(2034, 12, 31),
        }))
    frame = pd.concat(frames, ignore_index=True)
    # E1 holds the first three of 华龙区's base cohort, E7 two more.
    for row, firm in ((0, "E1"), (1, "E1"), (2, "E1"), (3, "E7"), (4, "E7")):
        frame.loc[row, ["enterprise_id", "registrant"]] = [firm, NAMES[firm]]
    return frame


def _industry_rows(patents: pd.DataFrame, firms: pd.DataFrame, designations: pd.DataFrame) -> pd.DataFrame:
    """Industry rows of metric_values, counted from the fact tables (rows left out where they are 0)."""
    rows = []
    for period in PERIODS:
        p = pd.Timestamp(period)
        valid = patents[patents["is_invention"] & (pd.to_datetime(patents["valid_from"]) <= p)
                        & (patents["valid_until"].isna() | (pd.to_datetime(patents["valid_until"]) > p))
                        & patents["region_code"].notna()]
        exploded = valid.explode("industries").dropna(subset=["industries"])
        for high_value, metric in ((False, "valid_invention_patents"), (True, "high_value_invention_patents")):
            part = exploded[exploded["hv_from"].notna()] if high_value else exploded
            for (region, industry), n in part.groupby(["region_code", "industries"]).size().items():
                rows.append((period, region, industry, metric, float(n)))
            for industry, n in part.groupby("industries").size().items():
                rows.append((period, CITY, industry, metric, float(n)))
        held = designations[(pd.to_datetime(designations["valid_from"]) <= p)
                            & (designations["valid_until"].isna() | (pd.to_datetime(designations["valid_until"]) > p))]
        for kind, metric in (("hightech", "hightech_enterprises"), ("above_scale", "above_scale_enterprises")):
            firms_of_kind = firms[firms["enterprise_id"].isin(held.loc[held["kind"] == kind, "enterprise_id"])]
            for (region, industry), n in firms_of_kind.groupby(["region_code", "industry_code"]).size().items():
                rows.append((period, region, industry, metric, float(n)))
            for industry, n in firms_of_kind.groupby("industry_code").size().items():
                rows.append((period, CITY, industry, metric, float(n)))
    frame = pd.DataFrame(rows, columns=["period_end", "region_code", "industry_code", "metric_code", "value"])
    frame["numerator"] = frame["value"]
    frame["denominator"] = None
    return frame


def _zero_rows(firms: pd.DataFrame) -> pd.DataFrame:
    by_id = firms.set_index("enterprise_id")
    return pd.DataFrame(
        [(period, by_id.at[firm, "uscc"], by_id.at[firm, "enterprise"], by_id.at[firm, "region_code"],
          by_id.at[firm, "industry_code"], *ZERO_HOLDINGS[firm])
         for period, listed in ZERO_LISTS.items() for firm in listed],
        columns=["period_end", "uscc", "enterprise", "region_code", "industry_code", "valid_patents_any_type", "valid_trademarks"],
    )


def _key_rows(firms: pd.DataFrame) -> pd.DataFrame:
    by_id = firms.set_index("enterprise_id")
    rows = []
    for period, by_firm in KEY_PROGRESS.items():
        for firm, (baseline, current) in by_firm.items():
            rows.append((period, firm, by_id.at[firm, "uscc"], by_id.at[firm, "enterprise"], by_id.at[firm, "region_code"],
                         by_id.at[firm, "industry_code"], baseline, current, current / baseline if baseline else None,
                         current >= 2 * baseline if baseline else current >= 1))
    return pd.DataFrame(rows, columns=["period_end", "enterprise_id", "uscc", "enterprise", "region_code", "industry_code",
                                       "baseline_patents", "current_patents", "ratio", "doubled"])


def _hightech_without_rows(firms: pd.DataFrame) -> pd.DataFrame:
    by_id = firms.set_index("enterprise_id")
    certificates = DESIGNATIONS[DESIGNATIONS["kind"] == "hightech"].set_index("enterprise_id")
    return pd.DataFrame(
        [(period, firm, by_id.at[firm, "uscc"], by_id.at[firm, "enterprise"], by_id.at[firm, "region_code"],
          by_id.at[firm, "industry_code"], certificates.at[firm, "source_key"], certificates.at[firm, "valid_until"])
         for period, listed in HIGHTECH_WITHOUT.items() for firm in listed],
        columns=["period_end", "enterprise_id", "uscc", "enterprise", "region_code", "industry_code", "certificate_no", "valid_until"],
    )


# The data-quality marts (dbt_project/models/marts/data_quality_*.sql, entity_review_list.sql,
# unmatched_roster_entries.sql), present only in the with_quality_marts variant.
QUALITY_MARTS = {
    "data_quality_matching": pd.DataFrame(
        [
            ("patents", "credit_code", "统一社会信用代码", True, 600, 1000, 60.0),
            ("patents", "exact_name", "名称完全一致", True, 250, 1000, 25.0),
            ("patents", "fuzzy", "名称相似匹配", True, 50, 1000, 5.0),
            ("patents", "person", "个人", False, 70, 1000, 7.0),
            ("patents", "ambiguous", "有歧义，待人工确认", False, 30, 1000, 3.0),
            ("trademarks", "exact_name", "名称完全一致", True, 800, 1000, 80.0),
            ("trademarks", "name_only", "仅有名称的机构", False, 200, 1000, 20.0),
        ],
        columns=["source", "match_method", "method_label", "is_matched", "records", "source_records", "share_pct"],
    ),
    "data_quality_attribution": pd.DataFrame(
        [
            ("patents", "enterprise_master", "unit", 879, 900, 97.67),
            ("patents", "in_pack_no_unit", "unattributed", 14, 900, 1.56),
            ("patents", "outside_pack", "excluded", 7, 900, 0.78),
            ("hightech", "enterprise_master", "unit", 185, 185, 100.0),
        ],
        columns=["source", "attribution_method", "outcome", "records", "source_records", "share_pct"],
    ),
    "entity_review_list": pd.DataFrame(
        [("濮阳市某某化工", "濮阳市某某化工有限公司", "legal_form_differs", "候选企业组织形式不同（有限公司/有限责任公司等）",
          "open", None, 2, "E1 甲化工有限公司 (95.0)", 4)],
        columns=["name_key", "example_name", "review_reason", "review_reason_label", "review_status",
                 "resolved_enterprise_id", "candidate_count", "candidates_text", "records"],
    ),
    "unmatched_roster_entries": pd.DataFrame(
        [
            ("hightech", "GR202341009999", "某某科技有限公司", "某某科技", None, "name_only", "below_threshold", None,
             "E11", "辛信息技术有限公司", 80.5, 92.0, 0, QF),
            ("srdi", "x|provincial_srdi_sme|2025|published", "某某食品有限公司", "某某食品", None, "name_only", "no_candidate",
             None, None, None, None, 92.0, 0, HL),
        ],
        columns=["roster", "roster_key", "enterprise", "name_key", "enterprise_id", "match_method", "reason", "review_status",
                 "closest_enterprise_id", "closest_enterprise", "closest_score", "threshold", "linked_records", "region_code"],
    ),
}


def write_warehouse(
    path: Path,
    *,
    city_june_inventions: int = 884,
    unit_name_overrides: dict[str, str] | None = None,
    with_quality_marts: bool = False,
) -> Path:
    """Write the hand-made warehouse to ``path`` (which must not exist) and close it."""
    regions = REGIONS.copy()
    for code, name in (unit_name_overrides or {}).items():
        regions.loc[regions["region_code"] == code, "region_name"] = name
    unit_names = dict(zip(regions["region_code"], regions["region_name"]))
    firms, designations = _enterprise_frames()
    patents = _patent_frame()
    trademarks = _trademark_frame()
    metric_values = pd.concat([_metric_rows(city_june_inventions), _industry_rows(patents, firms, designations)], ignore_index=True)
    frames = {
        "metric_values": metric_values,
        "target_progress": _target_rows(metric_values),
        "metric_catalog": CATALOG,
        "regions": regions,
        "population_used": _population_rows(),
        "county_assessment": _county_assessment(metric_values, unit_names),
        "patent_facts": patents,
        "patent_holdings": _holdings_frame(patents),
        "trademark_facts": trademarks,
        "metric_records": _metric_record_frame(patents, trademarks, firms, designations),
        "enterprise_facts": firms,
        "enterprise_designations": designations,
        "zero_invention_enterprises": _zero_rows(firms),
        "key_enterprise_progress": _key_rows(firms),
        "hightech_without_invention": _hightech_without_rows(firms),
        "fee_warnings": FEE_WARNINGS,
        "settings_in_use": SETTINGS,
        "data_quality_sources": DATA_QUALITY_SOURCES,
    }
    if with_quality_marts:
        frames.update(QUALITY_MARTS)
    audit = {
        "load_log": LOAD_LOG,
        "quarantine": QUARANTINE,
        "flags": FLAGS,
        "build_info": pd.DataFrame(
            [(datetime(2025, 7, 2, 8, 35), "puyang", JUN24, JUN, "{}")],
            columns=["built_at", "region_pack", "first_period", "last_period", "settings_json"],
        ),
    }
    casts = {  # columns whose pandas type would not say what the mart's type is
        "period_end": "date", "due_date": "date", "valid_from": "date", "valid_until": "date", "application_date": "date",
        "grant_date": "date", "hv_from": "date", "hv_maintained_from": "date", "hv_pledge_from": "date",
        "hv_award_from": "date", "lapse_date": "date", "term_end": "date", "first_period": "date", "last_period": "date",
        "value": "double", "numerator": "double", "denominator": "double", "target": "double", "actual": "double",
        "gap": "double", "expected_by_now": "double", "population": "double", "year": "integer",
        "population_year": "integer", "sort_order": "integer", "uscc": "varchar", "region_code": "varchar",
        "parent_code": "varchar", "gb_industry_code": "varchar", "enterprise_id": "varchar", "lapse_reason": "varchar",
        "note": "varchar", "series": "varchar", "message": "varchar", "raw_value": "varchar", "industries": "varchar[]",
        "strategic_rules": "varchar[]", "strategic_later_edition_readings": "varchar[]",
        "fee_yuan": "double", "surcharge_yuan": "double", "ratio": "double",
        "counted_from": "date", "counted_until": "date", "newest_file": "varchar",
        "newest_as_of": "date",
    }
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts; create schema audit;")
        for schema, tables in (("marts", frames), ("audit", audit)):
            for name, frame in tables.items():
                con.register("frame", frame)
                columns = ", ".join(
                    f'"{column}"::{casts[column]} as "{column}"' if column in casts and name != "settings_in_use"
                    else f'"{column}"'
                    for column in frame.columns
                )
                con.execute(f"create table {schema}.{name} as select {columns} from frame")
                con.unregister("frame")
    finally:
        con.close()
    return path


_TEMPLATE: dict[str, Path] = {}


@pytest.fixture(autouse=True)
def _demo_mode_unless_signed_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboards fail closed: without a user file they open only in demo mode, which must be
    asked for. The page tests run without a user file, so they ask for it here; tests of sign-in
    give a user file (which wins over the demo flag), and the fail-closed tests remove the flag."""
    monkeypatch.setenv("IPWH_DEMO", "1")


def publish(path: Path, **kwargs: object) -> Path:
    """Publish like the pipeline does: build next to the target, then rename over it."""
    staging = path.with_name(path.name + ".new")
    if staging.exists():
        staging.unlink()
    if not kwargs and "default" in _TEMPLATE:
        shutil.copyfile(_TEMPLATE["default"], staging)
    else:
        write_warehouse(staging, **kwargs)
    os.replace(staging, path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _default_warehouse_template(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The default warehouse is written once per session and copied for each test."""
    template = tmp_path_factory.mktemp("template") / "ipwh.duckdb"
    write_warehouse(template)
    _TEMPLATE["default"] = template


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A published hand-made warehouse, with IPWH_WAREHOUSE pointing at it (and no sign-in file)."""
    path = tmp_path / "warehouse" / "ipwh.duckdb"
    path.parent.mkdir()
    publish(path)
    monkeypatch.setenv("IPWH_WAREHOUSE", str(path))
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "no_auth.yaml"))
    return path


@pytest.fixture
def republish(warehouse: Path) -> Callable[..., Path]:
    """Publish a new version of the warehouse over the current one (keyword arguments of write_warehouse)."""

    def _republish(**kwargs: object) -> Path:
        return publish(warehouse, **kwargs)

    return _republish


@pytest.fixture(scope="session")
def shared_warehouse(tmp_path_factory: pytest.TempPathFactory, _default_warehouse_template: None) -> Path:
    """One published default warehouse for the read-only page tests (its query cache is shared)."""
    path = tmp_path_factory.mktemp("shared") / "ipwh.duckdb"
    shutil.copyfile(_TEMPLATE["default"], path)
    return path


@pytest.fixture(scope="session")
def shared_env(shared_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., object]:
    """``with shared_env():`` — the shared warehouse and no sign-in file, in demo mode (or the given file,
    which wins over the demo flag)."""
    from dashboard_apptest import environment

    no_auth = tmp_path_factory.mktemp("noauth") / "auth.yaml"

    def enter(auth_config: Path | None = None):
        return environment(IPWH_WAREHOUSE=str(shared_warehouse), IPWH_AUTH_CONFIG=str(auth_config or no_auth), IPWH_DEMO="1")

    return enter
