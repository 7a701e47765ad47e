"""县区考核 under AppTest: rankings, change against last year, one unit, downloads."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, frame_with, frames_with, markdown_texts, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("assessment")
    assert_clean(app)
    return app


def ranking(app: AppTest, heading: str):
    """The ranking table that follows a metric's heading (tables appear in heading order)."""
    headings = [text for text in markdown_texts(app) if text.startswith("##### ")]
    tables = frames_with(app, "排名", "名次变化", "上年排名")
    assert len(headings) == len(tables)
    return dict(zip(headings, tables))[heading].set_index("单位")


def test_title_period_and_comparison_month(page: AppTest) -> None:
    assert page.title[0].value == "濮阳市县区考核"
    assert "数据期：2025年06月末 · 排名 1 为最好，无数据的单位排在最后 · 同比对照 2024年06月末" in caption_texts(page)


def test_invention_per_10k_ranking_with_change_against_last_year(page: AppTest) -> None:
    table = ranking(page, "##### 万人有效发明专利拥有量（件/万人，越高越好）")
    assert list(table.index) == ["华龙区", "清丰县", "河南濮阳工业园区"]
    # 华龙区 500/100 = 5.00 (450/100 = 4.50 a year ago); 清丰县 300/70 = 4.29 (270/70 = 3.86).
    assert table.loc["华龙区", ["排名", "数值", "上年同期", "同比变化", "名次变化"]].tolist() == ["1", "5.00", "4.50", "+0.50", "持平"]
    assert table.loc["清丰县", ["排名", "数值", "上年同期", "同比变化"]].tolist() == ["2", "4.29", "3.86", "+0.43"]
    # no population: no value, ranked last
    assert table.loc["河南濮阳工业园区", ["排名", "数值", "名次变化"]].tolist() == ["3", "—", "—"]
    assert "末位：清丰县（4.29 件/万人）" in caption_texts(page)


def test_lower_is_better_and_rank_moves(page: AppTest) -> None:
    zero = ranking(page, "##### 无有效发明专利的规上工业企业（“清零”对象）（家，越低越好）")
    assert list(zero.index) == ["河南濮阳工业园区", "华龙区", "清丰县"]
    assert zero.loc["清丰县", ["排名", "数值", "上年同期", "同比变化"]].tolist() == ["3", "2", "3", "−1"]
    key = ranking(page, "##### 重点企业发明专利倍增进度（倍，越高越好）")
    # 华龙区 25/30 = 0.83 -> 40/30 = 1.33 overtakes 清丰县 (1.00 both years)
    assert key.loc["华龙区", ["排名", "上年排名", "名次变化"]].tolist() == ["1", "2", "↑1"]
    assert key.loc["清丰县", ["排名", "上年排名", "名次变化"]].tolist() == ["2", "1", "↓1"]


def test_growth_has_no_comparison_where_last_year_had_no_value(page: AppTest) -> None:
    growth = ranking(page, "##### 有效发明专利年增长率（%，越高越好）")
    # 70/60 = +16.67% first; 华龙区 and 清丰县 tie at +11.11% (both 10/9)
    assert growth["排名"].tolist() == ["1", "2", "2"]
    assert growth.loc["清丰县", ["上年同期", "上年排名", "名次变化"]].tolist() == ["—", "—", "—"]
    assert "末位：华龙区、清丰县（11.11%）" in caption_texts(page)


def test_rank_overview_and_unit_detail(page: AppTest) -> None:
    # metrics are rows, units columns (short names): the table fits its column at 1280 px
    overview = frame_with(page, "指标", "华龙区", "清丰县", "工业园区").set_index("指标")
    assert overview.loc["万人有效发明专利拥有量", "清丰县"] == "2"
    # 华龙区 ranks 2,1,1,1,1,1,2,1 over the eight metrics -> 10/8 = 1.25 -> "1.2" (round half to even)
    assert overview.loc["平均名次", "华龙区"] in ("1.2", "1.3")
    detail = frame_with(page, "指标", "名次").set_index("指标")
    assert detail.loc["万人有效发明专利拥有量", "名次"] == "1/3"  # the first unit, 华龙区, by default
    assert detail.loc["重点企业发明专利倍增进度", "名次变化"] == "↑1"


def test_downloads_are_offered(page: AppTest) -> None:
    labels = [button.label for button in page.get("download_button")]
    assert labels[:2] == [":material/download: 下载 Excel", ":material/download: 下载 CSV"]


def test_unit_from_the_url(shared_env) -> None:
    with shared_env():
        app = run_page("assessment", query={"unit": "410922"})
    assert_clean(app)
    assert app.selectbox(key="assessment_unit").value == "410922"
    detail = frame_with(app, "指标", "名次").set_index("指标")
    assert detail.loc["万人有效发明专利拥有量", ["数值", "名次"]].tolist() == ["4.29 件/万人", "2/3"]
    assert "清丰县在 3 个考核单位中的名次（1 为最好）。" in caption_texts(app)
