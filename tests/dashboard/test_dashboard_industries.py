"""产业 under AppTest: the eleven industries' patents, high-value patents and enterprises."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, frame_with, markdown_texts, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("industries")
    assert_clean(app)
    return app


def test_all_eleven_industries_in_policy_order(page: AppTest) -> None:
    table = frame_with(page, "产业", "类别")
    assert table["产业"].tolist() == [
        "化工", "装备制造", "食品加工", "现代家居", "羽绒制品", "新材料", "新能源", "节能环保", "新一代信息技术", "氢能", "人工智能",
    ]
    assert table["类别"].tolist()[-2:] == ["未来产业", "未来产业"]


def test_city_figures_per_industry(page: AppTest) -> None:
    table = frame_with(page, "产业", "类别").set_index("产业")
    # 化工: 华龙区 10 (E1 old) + 15 (E1 2025) + 清丰县 60 (high-value) + 10 (April) = 95; the 工业园区
    # patent lapsed in June. High-value: 10 + 60 = 70 -> 73.68%.
    assert table.loc["化工", ["有效发明", "高价值发明", "高价值占比%"]].tolist() == ["95", "70", "73.68"]
    # 新材料: 华龙区 110 + 工业园区 20 + 未归属 2, all high-value.
    assert table.loc["新材料", ["有效发明", "高价值发明", "高企"]].tolist() == ["132", "132", "35"]
    # 装备制造: 315 + 20 (华龙区) + 10 (E10); 99 synthetic high-tech firms of 华龙区; E2 and E10 above scale.
    assert table.loc["装备制造", ["有效发明", "高企", "规上企业"]].tolist() == ["345", "99", "2"]
    assert table.loc["氢能", "有效发明"] == "0"


def test_drill_down_for_an_industry(page: AppTest) -> None:
    assert "**有效发明专利拥有量**（濮阳市，2025年06月末，化工）= **95 件** · 明细：期末有效的发明专利" in markdown_texts(page)
    assert "共 95 条" in caption_texts(page)


def test_a_unit_instead_of_the_city(shared_env) -> None:
    with shared_env():
        app = run_page("industries", query={"region": "410902"})
    assert_clean(app)
    table = frame_with(app, "产业", "类别").set_index("产业")
    assert table.loc["化工", "有效发明"] == "25"  # only E1's in 华龙区
    assert table.loc["食品加工", "有效发明"] == "0"
