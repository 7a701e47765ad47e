"""数据质量 under AppTest: freshness, load log, quarantine by rule, attribution, glossary and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, environment, frame_with, markdown_texts, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("quality")
    assert_clean(app)
    return app


def test_freshness_and_load_log(page: AppTest) -> None:
    # one data range: the month-ends the warehouse holds (the period picker's first and last)
    assert "数仓构建于 **2025-07-02 08:35**，数据期 2024年06月 至 2025年06月（区域：濮阳市）" in markdown_texts(page)
    fresh = frame_with(page, "在用记录数", "被拒绝文件").set_index("来源")
    # rows in use after supersession (1,230), not the sum of the files' loaded rows (2,185)
    assert fresh.loc["专利", ["文件数", "在用记录数", "各文件入库行数合计"]].tolist() == [2, 1230, 2185]
    # the newest export by the date in its name, shown without the source folder
    assert fresh.loc["专利", ["最新文件（按导出日期）", "导出日期"]].tolist() == ["专利_20250630.xlsx", "2025-06-30"]
    assert fresh.loc["商标", ["被拒绝文件", "最新文件（按导出日期）"]].tolist() == [1, "—"]
    log = frame_with(page, "文件", "状态", "说明")
    assert log["状态"].tolist() == ["未变化", "已加载", "被拒绝"]


def test_quarantine_and_flags_by_rule(page: AppTest) -> None:
    texts = markdown_texts(page)
    assert "共 **15** 行；按规则：申请号校验位错误 7 行，缺少关键字段 6 行，日期无法识别 2 行" in texts
    assert "共 **3** 行；按规则：信用代码校验位不符 2 行，失效但缺少失效日 1 行" in texts
    by_field = frame_with(page, "规则", "字段", "行数")
    # the landing file's own Chinese headers, never the internal field names (application_no, grant_date)
    assert set(by_field["字段"]) == {"申请号", "授权公告日"}
    assert set(frame_with(page, "行号", "原始值")["字段"]) == {"申请号", "授权公告日"}
    rows = frame_with(page, "行号", "原始值")
    assert len(rows) == 15 and "=cmd|' /C calc'!A0" in set(rows["原始值"])


def test_attribution_rates_counted_from_the_facts_without_the_mart(page: AppTest) -> None:
    # patents: 879 of the 893 inside the pack are attributed to a unit (14 UNATTRIBUTED);
    # trademarks: 38,250 of 42,800 (4,550 UNATTRIBUTED, counting the 50 ended ones).
    assert (
        "专利（按第一专利权人）归属到单位 **98.4%**（879 / 893）；商标（按注册人）归属到单位 **89.4%**（38,250 / 42,800）。"
        "其余计入“未归属”，只计入全市合计。"
    ) in markdown_texts(page)


def test_missing_quality_marts_degrade_with_a_note(page: AppTest) -> None:
    notes = [text for text in caption_texts(page) if text.startswith("当前数仓尚未提供该表")]
    assert len(notes) == 3  # matching, the review list, unmatched roster entries


def test_glossary_and_settings(page: AppTest) -> None:
    glossary = frame_with(page, "口径", "假设").set_index("指标")
    assert "代码" not in glossary.columns  # no internal metric codes on an official's page
    assert glossary.loc["万人有效发明专利拥有量", "目标"] == "2025年 达到 ≥ 3.60；2026年 达到 ≥ 3.80；2027年 达到 ≥ 3.90"
    assert glossary.loc["有效商标注册量", ["目标", "假设"]].tolist() == ["2025年 超过 > 43,000", "是"]
    assert len(glossary) == 14  # every metric of the catalogue
    settings = frame_with(page, "设置", "当前值").set_index("设置")
    assert settings.loc["高价值第④类质押金额门槛", ["当前值", "默认值", "已调整", "依据"]].tolist() == ["500", "1000", "是", "未找到官方依据（假设值）"]


@pytest.fixture(scope="module")
def with_marts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import publish

    path = tmp_path_factory.mktemp("quality") / "ipwh.duckdb"
    return publish(path, with_quality_marts=True)


def test_quality_marts_are_shown_when_present(with_marts: Path, tmp_path: Path) -> None:
    with environment(IPWH_WAREHOUSE=str(with_marts), IPWH_AUTH_CONFIG=str(tmp_path / "none.yaml")):
        app = run_page("quality")
    assert_clean(app)
    texts = markdown_texts(app)
    # matched = credit_code 60 + exact_name 25 + fuzzy 5 = 90% of patents; trademarks exact_name 80%
    assert "匹配率：专利（第一专利权人） **90.0%**（1,000 条）；商标 **80.0%**（1,000 条）" in texts
    assert "专利（第一专利权人）归属到单位 **97.7%**，未归属 1.6%，区域外 0.8%；高新技术企业归属到单位 **100.0%**，未归属 0.0%" in texts
    review = frame_with(app, "候选企业（相似度）")
    assert review.iloc[0].tolist()[:3] == ["濮阳市某某化工有限公司", "候选企业组织形式不同（有限公司/有限责任公司等）", "待确认"]
    unmatched = frame_with(app, "最接近的企业").set_index("企业名称")
    assert unmatched.loc["某某科技有限公司", ["原因", "最接近的企业", "相似度", "阈值"]].tolist() == [
        "最接近的企业相似度不足", "辛信息技术有限公司", "80.5", "92"]
    assert not [text for text in caption_texts(app) if text.startswith("当前数仓尚未提供该表")]


def test_a_county_official_sees_only_own_units_unmatched_entries(with_marts: Path, tmp_path: Path) -> None:
    from dashboards import auth
    from dashboards.components.signin import SIGNED_IN_KEY

    users = tmp_path / "auth.yaml"
    auth.add_user(users, "huanglong", "hl-secret-333", role="unit", region_code="410902")
    with environment(IPWH_WAREHOUSE=str(with_marts), IPWH_AUTH_CONFIG=str(users)):
        app = run_page("quality", state={SIGNED_IN_KEY: "huanglong"})
    assert_clean(app)
    assert frame_with(app, "最接近的企业")["企业名称"].tolist() == ["某某食品有限公司"]  # 华龙区's only
    assert ":material/lock: 该明细仅市级账号可见" in caption_texts(app)  # the name review list
