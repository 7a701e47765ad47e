"""数据质量 under AppTest: freshness, load log, quarantine by rule, attribution, glossary and settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_apptest import assert_clean, caption_texts, frame_with, markdown_texts, run_page


@pytest.fixture(scope="module")
def page(shared_env) -> AppTest:
    with shared_env():
        app = run_page("quality")
    assert_clean(app)
    return app


def test_freshness_and_load_log(page: AppTest) -> None:
    assert "数仓构建于 **2025-07-02 08:35**，数据期 2024年06月 至 **2025年06月**（区域包：puyang）" in markdown_texts(page)
    fresh = frame_with(page, "最近加载", "被拒绝文件").set_index("来源")
    assert fresh.loc["专利", ["文件数", "在用行数"]].tolist() == [2, "2,185"]  # 995 + 1,190
    assert fresh.loc["商标", "被拒绝文件"] == 1
    log = frame_with(page, "文件", "状态", "说明")
    assert log["状态"].tolist() == ["未变化", "已加载", "被拒绝"]


def test_quarantine_and_flags_by_rule(page: AppTest) -> None:
    texts = markdown_texts(page)
    assert "共 **15** 行；按规则：申请号校验位错误 7 行，缺少关键字段 6 行，日期无法识别 2 行" in texts
    assert "共 **3** 行；按规则：信用代码校验位不符 2 行，失效但缺少失效日 1 行" in texts
    rows = frame_with(page, "行号", "原始值")
    assert len(rows) == 15 and "=cmd|' /C calc'!A0" in set(rows["原始值"])


def test_attribution_rates(page: AppTest) -> None:
    # patents: 879 of the 893 inside the pack are attributed to a unit (14 UNATTRIBUTED);
    # trademarks: 38,250 of 42,800 (4,550 UNATTRIBUTED, counting the 50 ended ones).
    assert (
        "专利（按第一专利权人）归属到单位 **98.4%**（879 / 893）；商标（按注册人）归属到单位 **89.4%**（38,250 / 42,800）。"
        "其余计入“未归属”，只计入全市合计。"
    ) in markdown_texts(page)


def test_missing_quality_marts_degrade_with_a_note(page: AppTest) -> None:
    notes = [text for text in caption_texts(page) if text.startswith("当前数仓尚未提供该表")]
    assert len(notes) == 4


def test_glossary_and_settings(page: AppTest) -> None:
    glossary = frame_with(page, "口径", "含假设口径").set_index("代码")
    assert glossary.loc["invention_per_10k", "目标"] == "2025年 达到 ≥ 3.60；2026年 达到 ≥ 3.80；2027年 达到 ≥ 3.90"
    assert glossary.loc["valid_trademarks", ["目标", "含假设口径"]].tolist() == ["2025年 超过 > 43,000", "⚠️ 是"]
    assert len(glossary) == 14  # every metric of the catalogue
    settings = frame_with(page, "设置", "当前值").set_index("设置")
    assert settings.loc["high_value_pledge_threshold_wan", ["当前值", "默认值", "已调整"]].tolist() == ["500", "1000", "⚠️ 是"]


def test_quality_marts_are_shown_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import publish

    path = tmp_path / "ipwh.duckdb"
    publish(path, with_quality_marts=True)
    monkeypatch.setenv("IPWH_WAREHOUSE", str(path))
    monkeypatch.setenv("IPWH_AUTH_CONFIG", str(tmp_path / "none.yaml"))
    app = run_page("quality")
    assert_clean(app)
    matching = frame_with(app, "匹配率（%）")
    assert matching["来源"].tolist() == ["patents", "trademarks"]
    assert not [text for text in caption_texts(app) if text.startswith("当前数仓尚未提供该表")][1:]  # only entity_review_list missing
