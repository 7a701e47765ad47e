"""年费预警 under AppTest: by unit, by enterprise, the patents."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, frame_with, metric_value, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("fees")
    assert_clean(app)
    return app


def test_totals(page: AppTest) -> None:
    assert metric_value(page, "预警专利合计") == "4 件"  # the unknown one is not a warning
    assert metric_value(page, ":red[:material/error:] 即将失效") == "1 件"
    assert metric_value(page, ":violet[:material/schedule:] 即将到期") == "2 件"
    # fees 1,200 + 900 + 2,000 + 900 and surcharges 90 + 500
    assert metric_value(page, "应缴年费及滞纳金") == "0.56 万元"  # in 万元, so the card is never cut
    assert "另有 1 件专利缺少缴费数据（状态未知），未计入预警；可在专利数据中补充“年费缴至年度”。" in caption_texts(page)


def test_by_unit(page: AppTest) -> None:
    table = frame_with(page, "单位", "预警合计").set_index("单位")
    assert table.loc["华龙区", ["已逾期", "即将到期", "状态未知", "预警合计"]].tolist() == [1, 1, 1, 2]
    assert table.loc["清丰县", ["即将失效", "预警合计", "滞纳金（元）"]].tolist() == [1, 1, 500]  # numbers stay numbers
    assert table.loc["濮阳市合计", "预警合计"] == 4


def test_by_enterprise_and_patents(page: AppTest) -> None:
    firms = frame_with(page, "专利权人", "应缴年费（元）").set_index("专利权人")
    assert firms.loc["甲化工有限公司", ["已逾期（件）", "即将到期（件）", "应缴年费（元）"]].tolist() == [1, 1, "2,100"]  # a column with gaps is written as text on screen (the export keeps numbers)
    patents = frame_with(page, "申请号", "预警状态")
    assert patents["申请号"].tolist() == ["QF-E10-0001", "HL-E1-OLD-0002", "HL-E1-OLD-0001", "YQ-OLD-0001"]  # by due date
    assert patents["预警状态"].tolist() == ["即将失效", "已逾期", "即将到期", "即将到期"]
