"""企业 under AppTest: the action lists and the searchable profile."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, frame_with, markdown_texts, metric_value, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("enterprises")
    assert_clean(app)
    return app


def test_zero_list_for_the_city(page: AppTest) -> None:
    table = frame_with(page, "企业名称", "有效专利（任一类型）")
    assert sorted(table["企业名称"]) == ["丙食品有限公司", "乙装备制造有限公司", "己羽绒制品有限公司"]
    rows = table.set_index("企业名称")
    assert rows.loc["乙装备制造有限公司", ["所属单位", "所属产业", "有效专利（任一类型）"]].tolist() == ["清丰县", "装备制造", 1]
    assert rows.loc["己羽绒制品有限公司", "有效商标"] == 2


def test_key_enterprises_against_doubling(page: AppTest) -> None:
    table = frame_with(page, "倍增进度（倍）").set_index("企业名称")
    # on screen the numbers that matter (已倍增 and the credit code go to the export first)
    assert table.loc["甲化工有限公司", ["基准日有效发明专利", "期末有效发明专利", "倍增进度（倍）", "距倍增还差（件）"]].tolist() == [10, 25, "2.50", 0]
    # 戊新能源 20 -> 15: needs 2 x 20 - 15 = 25 more; a ratio is written with two decimals, never 0.75 raw or None
    assert table.loc["戊新能源有限公司", ["倍增进度（倍）", "距倍增还差（件）"]].tolist() == ["0.75", 25]
    assert "已实现倍增 **1** 家，未实现 **2** 家（显示范围内）" in markdown_texts(page)


def test_hightech_firms_without_invention(page: AppTest) -> None:
    table = frame_with(page, "高企证书编号")
    assert table["企业名称"].tolist() == ["辛信息技术有限公司", "丁新材料科技有限公司"]
    assert table["证书有效期至"].tolist() == ["2026-11-01", "2026-11-01"]


def test_every_list_can_be_exported(page: AppTest) -> None:
    labels = [button.label for button in page.get("download_button")]
    assert labels.count(":material/download: 导出 Excel") == 3 and labels.count(":material/download: 导出 CSV") == 3


def test_search_and_profile(shared_env) -> None:
    with shared_env():
        app = run_page("enterprises")
        app.text_input(key="enterprises_search").input("甲化工")
        app.run()
    assert_clean(app)
    assert "### 甲化工有限公司" in markdown_texts(app)
    # 10 granted 2020 + 15 granted March 2025; two pending applications are listed but not valid
    assert metric_value(app, "有效发明专利") == "25 件"
    assert metric_value(app, "有效注册商标") == "3 件"
    patents = frame_with(app, "申请号", "期末有效")
    assert len(patents) == 27 and (patents["期末有效"] == "否").sum() == 2
    designations = frame_with(app, "认定", "期末是否有效")
    assert set(designations["认定"]) >= {"高新技术企业", "规上工业企业（2025年名录）", "重点企业（2025年名录）", "市级知识产权优势企业"}
    assert any(caption.startswith("统一社会信用代码：91410900E00000001A · 所属单位：华龙区") for caption in caption_texts(app))


def test_profile_from_the_url(shared_env) -> None:
    with shared_env():
        app = run_page("enterprises", query={"enterprise": "E10"})
    assert_clean(app)
    assert "### 庚装备制造有限公司" in markdown_texts(app)
    assert metric_value(app, "有效发明专利") == "10 件"
