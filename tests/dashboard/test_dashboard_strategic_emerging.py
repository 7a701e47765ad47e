"""The strategic-emerging view on 产业 and the keyword-mode counts in the 数据质量 glossary, on the hand-made
warehouse plus hand-made strategic-emerging marts (a few branches; the rest of the 40 show 0)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard_apptest import assert_clean, caption_texts, frame_with, markdown_texts, run_page

P = date(2025, 6, 30)
BRANCHES = [  # branch_code, branch_name, sector_code, sector_name, rules, doubtful_rules, policy_industry_code
    ("1.3", "新兴软件和新型信息技术服务", "1", "新一代信息技术产业", 6, [], "next_gen_it"),
    ("1.5", "人工智能", "1", "新一代信息技术产业", 7, [], "next_gen_it"),
    ("2.1", "智能制造装备产业", "2", "高端装备制造产业", 20, ["2.1-01"], None),
    ("3.6", "前沿新材料", "3", "新材料产业", 9, [], "new_materials"),
]
VALUES = [  # region_code, group_kind, group_code, valid, high_value
    ("410900", "branch", "1.3", 12, 12), ("410900", "branch", "1.5", 5, 5), ("410900", "branch", "2.1", 30, 30),
    ("410900", "branch", "3.6", 7, 7), ("410902", "branch", "2.1", 21, 21), ("410922", "branch", "2.1", 9, 9),
    ("410900", "sector", "1", 15, 15), ("410900", "sector", "2", 30, 30), ("410900", "sector", "3", 7, 7),
    ("410900", "policy_industry", "next_gen_it", 15, 15), ("410900", "policy_industry", "new_materials", 7, 7),
    ("410900", "all", "strategic_emerging", 50, 50),
]
MODES = {"ignore": 50, "title": 8, "title_abstract": 13}


@pytest.fixture
def strategic_warehouse(warehouse):
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("""create table marts.strategic_emerging_branches (branch_code varchar, branch_name varchar,
            sector_code varchar, sector_name varchar, rules bigint, include_patterns bigint, exclude_patterns bigint,
            rules_with_keywords bigint, doubtful_rules varchar[], policy_industry_code varchar)""")
        for code, name, sector, sector_name, rules, doubtful, policy in BRANCHES:
            con.execute("insert into marts.strategic_emerging_branches values (?, ?, ?, ?, ?, 0, 0, 0, ?, ?)",
                        [code, name, sector, sector_name, rules, doubtful, policy])
        con.execute("""create table marts.strategic_emerging_values (period_end date, region_code varchar,
            group_kind varchar, group_code varchar, metric_code varchar, value double)""")
        for region, kind, code, valid, high in VALUES:
            con.execute("insert into marts.strategic_emerging_values values (?, ?, ?, ?, 'valid_invention_patents', ?)",
                        [P, region, kind, code, valid])
            con.execute("insert into marts.strategic_emerging_values values (?, ?, ?, ?, 'high_value_invention_patents', ?)",
                        [P, region, kind, code, high])
        for mode, count in MODES.items():
            con.execute("insert into marts.strategic_emerging_values values (?, '410900', 'keyword_mode', ?, 'hv_strategic_emerging', ?)",
                        [P, mode, count])
    finally:
        con.close()
    return warehouse


def test_sectors_branches_and_units(strategic_warehouse) -> None:
    app = run_page("industries")
    assert_clean(app)
    sectors = frame_with(app, "领域", "有效发明专利（件）", "高价值发明专利（件）").set_index("领域")
    assert sectors.loc["2 高端装备制造产业", "有效发明专利（件）"] == "30"
    assert sectors.loc["合计（一件专利计一次）", "有效发明专利（件）"] == "50"
    branches = frame_with(app, "分支", "规则数", "存疑规则").set_index("分支")
    assert branches.loc["1.5 人工智能", "有效发明专利（件）"] == "5"
    assert branches.loc["2.1 智能制造装备产业", "存疑规则"] == "2.1-01"
    by_unit = frame_with(app, "单位", "有效发明专利（件）").set_index("单位")  # first branch chosen: 1.3
    assert by_unit.loc["濮阳市", "有效发明专利（件）"] == "12"
    assert by_unit.loc["华龙区", "有效发明专利（件）"] == "0"
    app.selectbox(key="industries_se_branch").set_value("2.1 智能制造装备产业").run()
    by_unit = frame_with(app, "单位", "有效发明专利（件）").set_index("单位")
    assert by_unit.loc[["濮阳市", "华龙区", "清丰县"], "有效发明专利（件）"].tolist() == ["30", "21", "9"]


def test_the_four_policy_industries_beside_their_branches(strategic_warehouse) -> None:
    app = run_page("industries")
    table = frame_with(app, "产业", "对应战略性新兴产业分支").set_index("产业")
    assert table.index.tolist() == ["新材料", "新能源", "节能环保", "新一代信息技术"]
    assert table.loc["新一代信息技术", "对应战略性新兴产业分支"] == "1.3 新兴软件和新型信息技术服务、1.5 人工智能"
    assert table.loc["新一代信息技术", "对应分支 有效发明专利（件）"] == "15"
    assert table.loc["新材料", "对应分支 高价值发明专利（件）"] == "7"
    assert table.loc["新能源", "对应战略性新兴产业分支"] == "—"


def test_a_warehouse_without_the_marts_says_so(warehouse) -> None:
    app = run_page("industries")
    assert_clean(app)
    assert any("尚无战略性新兴产业分支数据" in box.value for box in app.info)


def test_glossary_shows_the_criterion_under_each_keyword_mode(strategic_warehouse) -> None:
    app = run_page("quality")
    assert_clean(app)
    table = frame_with(app, "口径（hv_strategic_keyword_mode）", "件数").set_index("口径（hv_strategic_keyword_mode）")
    assert table["件数"].to_dict() == {"ignore": "50", "title": "8", "title_abstract": "13"}
